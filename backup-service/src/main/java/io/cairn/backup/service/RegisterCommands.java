package io.cairn.backup.service;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.PullRegistration;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.backup.service.restore.RestoreState;
import io.cairn.core.agent.HostDirectory;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.ArtifactsRegisteredEvent;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;

/**
 * What backup.register does: refuses what {@link PullRegistration} refuses before anything runs, then has the job's
 * host's agent check and digest the pull outputs as a restore of mode REGISTER (so a big file is read with progress
 * and the silence bound, not inside one agent call), and on its end records the artifacts and the one outcome in the
 * same transaction.
 */
@ApplicationScoped
public class RegisterCommands {

    @Inject
    BackupJobStore jobs;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RestoreJobStore store;

    @Inject
    RestoreStarter starter;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    HostDirectory hosts;

    @Inject
    Clock clock;

    public Uni<CairnEvent> register(BackupRegisterCommand command) {
        command.validate();
        return jobs.find(command.jobId()).flatMap(job -> plan(command, job))
                .flatMap(store::create)
                .flatMap(starter::startIfNew);
    }

    /** The register to store, or the refusal: {@link PullRegistration}'s rules over the job and the catalog. */
    private Uni<RestoreJob> plan(BackupRegisterCommand command, Optional<BackupJob> job) {
        String hostId = job.map(BackupJob::hostId).orElse(null);
        return catalog.disksOfJob(command.jobId()).flatMap(catalogued -> catalog.artifacts(command.domain())
                .map(artifacts -> {
                    Set<String> paths = artifacts.stream().map(Artifact::path).collect(Collectors.toSet());
                    List<DiskRestorePlan> plan = PullRegistration.plan(command, job, catalogued, paths,
                            liveDisksOn(hostId));
                    BackupJob pull = job.orElseThrow(); // the plan refused a missing one
                    return RestoreJob.requestRegister(UUID.randomUUID().toString(), command.commandId(),
                            command.domain(), hostId, pull.checkpoint() == null ? null : pull.checkpoint().name(),
                            command.jobId(), plan, clock.instant());
                }));
    }

    /** Every disk file the host reports in use, with who uses it. */
    private Map<String, String> liveDisksOn(String hostId) {
        Map<String, String> live = new HashMap<>();
        for (HostInventory host : hosts.all()) {
            if (!host.hostId().equals(hostId)) {
                continue;
            }
            for (DomainInventory domain : host.domains()) {
                for (DiskInventory disk : domain.disks()) {
                    if (disk.file() != null) {
                        live.put(disk.file(), "disk '" + disk.device() + "' of domain '" + domain.name() + "' ("
                                + domain.runState() + ")");
                    }
                }
            }
        }
        return live;
    }

    /**
     * The register's outcome, inside the transaction that ended it: its artifacts in the catalog and
     * artifacts-registered, or command-rejected with why the agent (or a concurrent register) refused.
     */
    public Uni<Void> completed(RestoreJob register, Instant now) {
        if (register.state() != RestoreState.COMPLETED) {
            return reject(register, register.error().orElse(ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "operation failed: registering the outputs failed on host " + register.hostId())), now);
        }
        String jobId = register.registeredJobId().orElseThrow();
        return jobs.find(jobId).flatMap(job -> {
            List<Artifact> artifacts = PullRegistration.artifacts(job.orElseThrow(), register.result());
            return catalog.recordRegistered(artifacts).flatMap(recorded -> recorded
                    ? outcomes.record(register.commandId(), register.domain(), BackupRegisterCommand.TYPE,
                            new ArtifactsRegisteredEvent(UUID.randomUUID().toString(), now, register.domain(),
                                    register.commandId(), jobId, register.hostId(),
                                    artifacts.stream().map(PullRegistration::registered).toList())).replaceWithVoid()
                    : reject(register, new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested "
                            + "operation is not valid: a disk of backup job '" + jobId + "' was registered by "
                            + "another command meanwhile").toErrorInfo(), now));
        });
    }

    private Uni<Void> reject(RestoreJob register, ErrorInfo why, Instant now) {
        return outcomes.record(register.commandId(), register.domain(), BackupRegisterCommand.TYPE,
                new CommandRejectedEvent(UUID.randomUUID().toString(), now, register.domain(), register.commandId(),
                        BackupRegisterCommand.TYPE, why)).replaceWithVoid();
    }
}
