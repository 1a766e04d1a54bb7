package io.cairn.agent.operation;

import io.cairn.agent.backup.BackupJobs;
import io.cairn.agent.restore.ExportRestores;
import io.cairn.agent.restore.RestoreJobs;
import io.cairn.agent.retention.RetentionRuns;
import io.cairn.events.agent.ApplyRetentionRequest;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.domain.DomainRegistry;
import io.cairn.agent.guest.GuestAgentSockets;
import io.cairn.agent.guest.Quiescer;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.agent.MeasureBitmapsRequest;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The agent's single entry point for requests: runs each one on its domain's QEMU, one domain's requests
 * strictly in arrival order and different domains in parallel, and always answers with an AgentResult
 * (errors carry libvirt's codes), never with a failed Uni.
 */
@ApplicationScoped
public class AgentOperations {

    private final String hostId;
    private final DomainRegistry registry;
    private final BitmapOperations bitmaps;
    private final BackupJobs backups;
    private final RestoreJobs restores;
    private final ExportRestores exports;
    private final RetentionRuns retention;
    private final Quiescer quiescer;
    private final KeyedSerialExecutor perDomain = new KeyedSerialExecutor();

    /** What a request produced: per-bitmap findings, and for a quiesced add the number of frozen file systems. */
    private record Answer(List<BitmapCheck> checks, Integer frozenFilesystems) {
        static Answer of(List<BitmapCheck> checks) {
            return new Answer(checks, null);
        }

        static Answer none() {
            return new Answer(List.of(), null);
        }
    }

    @Inject
    public AgentOperations(AgentConfig config, DomainRegistry registry, BitmapOperations bitmaps, BackupJobs backups,
            RestoreJobs restores, ExportRestores exports, RetentionRuns retention) {
        this.restores = restores;
        this.exports = exports;
        this.retention = retention;
        this.hostId = config.hostId();
        this.registry = registry;
        this.bitmaps = bitmaps;
        this.backups = backups;
        // Its own thread: the watchdog's thaw waits for the guest agent's answer and must never queue behind others.
        this.quiescer = new Quiescer(new GuestAgentSockets(config), config.guestAgent(), config.commandTimeout(),
                Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "cairn-quiesce-watchdog");
                    thread.setDaemon(true);
                    return thread;
                }));
    }

    public Uni<AgentResult> execute(AgentRequest request) {
        return execute(request, null);
    }

    /**
     * Runs the request unless it reaches the front of its domain's queue after {@code startBy} (null: never too
     * late): its caller has stopped waiting then, and has answered its command without it.
     */
    public Uni<AgentResult> execute(AgentRequest request, Instant startBy) {
        return perDomain.submit(request.domain(), () -> startBy != null && Instant.now().isAfter(startBy)
                        ? Uni.createFrom().failure(tooLate(request, startBy)) : dispatch(request))
                .map(answer -> result(request, true, null, answer))
                .onFailure().recoverWithItem(failure -> result(request, false, AgentErrors.toCairn(failure),
                        Answer.none()));
    }

    /**
     * Runs other work (the reconciler's) in a domain's queue, so it never interleaves with a request
     * that is half-way through, e.g. a measure whose temporary bitmap would look like a leftover.
     */
    public <T> Uni<T> onDomain(String domain, java.util.function.Supplier<Uni<T>> work) {
        return perDomain.submit(domain, work);
    }

    private Uni<Answer> dispatch(AgentRequest request) {
        if (!hostId.equals(request.hostId())) {
            return Uni.createFrom().failure(registry.noDomain(request.domain()));
        }
        if (request instanceof StartRestoreRequest restore) {
            // Works on the artifacts alone: the domain need not run (nor exist) any more.
            return (restore.mode() == RestoreMode.EXPORT ? exports.start(restore) : restores.start(restore))
                    .replaceWith(Answer.none());
        }
        if (request instanceof EndRestoreRequest end) {
            // An export stops serving; any other restore still running is aborted.
            return (end.modeOrExport() == RestoreMode.EXPORT ? exports.end(end) : restores.abort(end))
                    .replaceWith(Answer.none());
        }
        if (request instanceof ApplyRetentionRequest apply) {
            // Works on backup files alone, like a restore.
            return retention.start(apply).replaceWith(Answer.none());
        }
        return registry.connection(request.domain()).flatMap(connection -> {
            if (request instanceof AddBitmapsRequest add) {
                return add.quiesce() ? quiescedAdd(connection, add)
                        : bitmaps.add(connection, add.bitmaps()).replaceWith(Answer.none());
            } else if (request instanceof RemoveBitmapsRequest remove) {
                return bitmaps.remove(connection, remove.bitmaps(), remove.ignoreMissing()).replaceWith(Answer.none());
            } else if (request instanceof ValidateBitmapsRequest validate) {
                return bitmaps.validate(connection, validate.bitmaps()).map(Answer::of);
            } else if (request instanceof MeasureBitmapsRequest measure) {
                return bitmaps.measure(connection, measure.bitmaps()).map(Answer::of);
            } else if (request instanceof StartBackupRequest start) {
                return backups.start(connection, start).replaceWith(Answer.none());
            } else if (request instanceof AbortBackupRequest abort) {
                return backups.abort(abort).replaceWith(Answer.none());
            }
            return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED,
                    "unknown request " + request.type()));
        });
    }

    /**
     * Checkpoint QUIESCE: the bitmaps' transaction with the guest's file systems frozen by its guest agent. Bitmaps
     * made while the freeze did not hold (it expired, or the thaw failed) are removed again, so the request fails
     * with nothing behind.
     */
    private Uni<Answer> quiescedAdd(DomainConnection connection, AddBitmapsRequest add) {
        // A disk the domain does not have fails the transaction anyway: refuse it before the guest is frozen for it.
        return connection.inventory().invoke(vm -> add.bitmaps().forEach(bitmap -> BitmapOperations.disk(vm,
                        bitmap.disk())))
                .chain(() -> quiescer.around(add.domain(), () -> bitmaps.add(connection, add.bitmaps()).replaceWith(Boolean.TRUE),
                        made -> bitmaps.remove(connection, add.bitmaps(), true)))
                .map(quiesced -> new Answer(List.of(), quiesced.frozenFilesystems()));
    }

    private static CairnException tooLate(AgentRequest request, Instant startBy) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "request %s (%s of '%s') reached the host "
                .formatted(request.requestId(), request.type(), request.domain()) + "agent after its caller stopped "
                + "waiting (start by " + startBy + "); not run");
    }

    private AgentResult result(AgentRequest request, boolean success, CairnException error, Answer answer) {
        return new AgentResult(request.requestId(), hostId, request.domain(), request.type(), success,
                error == null ? null : error.toErrorInfo(), answer.checks(), Instant.now(), answer.frozenFilesystems());
    }
}
