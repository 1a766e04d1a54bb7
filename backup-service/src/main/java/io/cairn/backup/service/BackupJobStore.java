package io.cairn.backup.service;

import io.cairn.backup.mapping.BackupJobMapper;
import io.cairn.backup.repository.BackupJobEntity;
import io.cairn.backup.repository.BackupJobRepository;
import io.cairn.core.failure.Failures;
import io.cairn.backup.service.job.AdmissionQueue;
import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.job.BackupErrors;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.FairUseLimits;
import io.cairn.backup.service.job.JobState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stores backup jobs: every change loads the job, applies the model's rule and saves it in one transaction, with
 * optimistic locking so concurrent reports cannot overwrite each other. Non-blocking (Mutiny) throughout.
 */
@ApplicationScoped
public class BackupJobStore {
    /** A lost race is retried on fresh data; more than a few in a row means something else is wrong. */
    private static final int OPTIMISTIC_LOCK_RETRIES = 3;
    /** "CAIRNADM": admission's own advisory lock key, apart from the outbox relay's. */
    private static final long ADMISSION_LOCK_KEY = 0x434149524e41444dL;

    private final BackupJobRepository jobs;
    private final BackupJobMapper mapper;

    public BackupJobStore(BackupJobRepository jobs, BackupJobMapper mapper) {
        this.jobs = jobs;
        this.mapper = mapper;
    }

    /**
     * Stores a new job. The same command twice yields the job it first created; a second active job for a domain
     * is refused with libvirt's VIR_ERR_OPERATION_INVALID, by the database itself so racing instances agree.
     */
    public Uni<StoredJob> create(BackupJob job) {
        Uni<StoredJob> insert = Panache.withTransaction(() -> jobs.findByCommandId(job.commandId())
                .chain(existing -> existing != null
                        ? Uni.createFrom().item(stored(existing, false))
                        : jobs.nextArrival().chain(arrival -> {
                            BackupJobEntity row = mapper.toNewEntity(job, arrival);
                            return jobs.persistAndFlush(row).replaceWith(() -> stored(row, true));
                        })));
        return insert
                .onFailure(failure -> Failures.violates(failure, BackupJobRepository.COMMAND_UNIQUE))
                .recoverWithUni(() -> inSession(() -> jobs.findByCommandId(job.commandId()))
                        .map(row -> stored(row, false)))
                .onFailure(failure -> Failures.violates(failure, BackupJobRepository.ONE_ACTIVE_PER_DOMAIN))
                .transform(failure -> BackupErrors.anotherBackupRunning());
    }

    /**
     * Applies {@code change} to the stored job and saves the result in one transaction; on a lost optimistic-lock
     * race the change is applied again to the fresh job.
     *
     * @throws io.cairn.events.error.CairnException VIR_ERR_NO_DOMAIN_BACKUP when there is no such job
     */
    public <T> Uni<JobChange<T>> update(String jobId, Function<BackupJob, T> change) {
        return changeRow(() -> jobs.findById(jobId), BackupErrors::noBackupJob, change, done -> Uni.createFrom()
                .voidItem());
    }

    /**
     * Like {@link #update} but also runs {@code alsoInTransaction} (e.g. writing the events the change caused to the
     * outbox) in the same transaction, so the change and its events commit together or not at all.
     */
    public <T> Uni<JobChange<T>> update(String jobId, Function<BackupJob, T> change,
            Function<JobChange<T>, Uni<Void>> alsoInTransaction) {
        return changeRow(() -> jobs.findById(jobId), BackupErrors::noBackupJob, change, alsoInTransaction);
    }

    /**
     * Applies {@code change} to the domain's active job (abort addresses the domain, as in libvirt).
     *
     * @throws io.cairn.events.error.CairnException VIR_ERR_OPERATION_INVALID when the domain has no active job
     */
    public <T> Uni<JobChange<T>> updateActive(String domain, Function<BackupJob, T> change) {
        return updateActive(domain, change, done -> Uni.createFrom().voidItem());
    }

    /** Like {@link #updateActive(String, Function)} plus work in the same transaction, as for {@link #update}. */
    public <T> Uni<JobChange<T>> updateActive(String domain, Function<BackupJob, T> change,
            Function<JobChange<T>, Uni<Void>> alsoInTransaction) {
        return changeRow(() -> jobs.findActiveByDomain(domain), BackupErrors::noActiveJob, change, alsoInTransaction);
    }

    public Uni<Optional<BackupJob>> find(String jobId) {
        return inSession(() -> jobs.findById(jobId)).map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    /** The job a backup.begin command created, if it created one. */
    public Uni<Optional<BackupJob>> findByCommand(String commandId) {
        return inSession(() -> jobs.findByCommandId(commandId))
                .map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    public Uni<Optional<BackupJob>> findActive(String domain) {
        return inSession(() -> jobs.findActiveByDomain(domain))
                .map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    /** The domain's jobs, newest request first. */
    public Uni<List<BackupJob>> history(String domain, int limit) {
        return inSession(() -> jobs.history(domain, limit))
                .map(rows -> rows.stream().map(mapper::toModel).toList());
    }

    /** The fleet's jobs, newest request first. */
    public Uni<List<BackupJob>> recent(int limit) {
        return inSession(() -> jobs.recent(limit)).map(rows -> rows.stream().map(mapper::toModel).toList());
    }

    /** The admission queue as the stored active jobs make it: who holds a slot, who waits, in arrival order. */
    public Uni<AdmissionQueue> restoreQueue(FairUseLimits limits) {
        return inSession(jobs::listActiveByArrival).map(rows -> queueOf(limits, rows));
    }

    /**
     * Admits the waiting jobs that fit now and marks them STARTING, all under one cluster-wide lock (a PostgreSQL
     * advisory lock held until commit): replicas deciding at the same moment take turns, each seeing the slots the
     * other just took, so the per-host and fleet limits hold however many replicas run.
     */
    public Uni<List<AdmissionTicket>> admitWaiting(FairUseLimits limits, Instant now) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery("select count(*) from (select pg_advisory_xact_lock("
                        + ADMISSION_LOCK_KEY + ")) as locked", Long.class).getSingleResult())
                .flatMap(locked -> jobs.listActiveByArrival())
                .map(rows -> {
                    List<AdmissionTicket> admitted = queueOf(limits, rows).admitWaiting();
                    for (AdmissionTicket ticket : admitted) {
                        rows.stream().filter(row -> row.jobId.equals(ticket.jobId())).findFirst().ifPresent(row -> {
                            BackupJob job = mapper.toModel(row);
                            job.start(now);
                            mapper.copyInto(job, row);
                        });
                    }
                    return admitted;
                }));
    }

    private AdmissionQueue queueOf(FairUseLimits limits, List<BackupJobEntity> rows) {
        List<AdmissionTicket> holding = rows.stream()
                .filter(row -> JobState.valueOf(row.state).holdsSlot()).map(mapper::toTicket).toList();
        List<AdmissionTicket> queued = rows.stream()
                .filter(row -> JobState.valueOf(row.state) == JobState.QUEUED).map(mapper::toTicket).toList();
        return AdmissionQueue.restore(limits, holding, queued);
    }

    private <T> Uni<JobChange<T>> changeRow(Supplier<Uni<BackupJobEntity>> load,
            Supplier<? extends RuntimeException> missing, Function<BackupJob, T> change,
            Function<JobChange<T>, Uni<Void>> alsoInTransaction) {
        // deferred: each retry must load the row again, not reuse the stale one.
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> load.get()
                        .onItem().ifNull().failWith(missing)
                        .map(row -> {
                            BackupJob job = mapper.toModel(row);
                            T result = change.apply(job);
                            mapper.copyInto(job, row);
                            return new JobChange<>(job, result);
                        })
                        .call(done -> alsoInTransaction.apply(done))))
                .onFailure(Failures::isConflict).retry().atMost(OPTIMISTIC_LOCK_RETRIES);
    }

    private StoredJob stored(BackupJobEntity row, boolean created) {
        return new StoredJob(mapper.toModel(row), mapper.toTicket(row), created);
    }

    private static <T> Uni<T> inSession(Supplier<Uni<T>> work) {
        return Panache.withSession(work);
    }
}
