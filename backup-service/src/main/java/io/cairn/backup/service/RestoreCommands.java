package io.cairn.backup.service;

import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.backup.service.restore.RestorePlan;
import io.cairn.backup.service.restore.RestorePlanner;
import io.cairn.backup.service.restore.RestoreState;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What restore.begin does: finds the restore point in the catalog, plans it (refusing what cannot work before
 * anything runs), stores the restore, and asks the agent of the host holding the artifacts to run it. Its one outcome
 * is the restore's restore-completed, recorded when the restore ends (here, if the agent refuses it; else from the
 * agent's last report, or by the sweeper when the agent goes silent).
 */
@ApplicationScoped
public class RestoreCommands {
    private static final Logger LOG = Logger.getLogger(RestoreCommands.class);

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RestoreJobStore store;

    @Inject
    HostDirectory hosts;

    @Inject
    AgentGateway agents;

    @Inject
    RestoreCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    /** A begin whose restore exists is accepted (its outcome comes from the restore); else it waits. */
    public Uni<Boolean> accepted(String commandId) {
        return store.findByCommand(commandId).map(java.util.Optional::isPresent);
    }

    public Uni<CairnEvent> begin(RestoreBeginCommand command) {
        command.validate();
        return catalog.restorePoints(command.domain()).flatMap(points -> {
            RestorePoint point = points.stream().filter(p -> command.checkpoint().equals(p.checkpoint()))
                    .findFirst().orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT,
                            "no restore point of '" + command.domain() + "' holds checkpoint '"
                                    + command.checkpoint() + "'"));
            String restoreId = UUID.randomUUID().toString();
            RestorePlan plan = RestorePlanner.plan(command, point, restoreId, liveDisksOnHostsOf(point));
            return store.create(RestoreJob.request(restoreId, command.commandId(), command.domain(), plan.hostId(),
                    command.checkpoint(), command.effectiveMode(), plan.disks(), clock.instant()));
        }).flatMap(job -> job.state() == RestoreState.STARTING ? startOnHost(job) : Uni.createFrom().nullItem());
    }

    /**
     * Asks the agent to run the restore (again, for a redelivered command whose restore was stored but not yet
     * accepted: the agent answers a request id once). A refusal or no answer ends the restore failed, recording its
     * restore-completed with the failure.
     */
    private Uni<CairnEvent> startOnHost(RestoreJob job) {
        StartRestoreRequest request = new StartRestoreRequest(job.restoreId() + "/start", job.hostId(), job.domain(),
                job.restoreId(), job.mode(), job.plan());
        return agents.call(request)
                .map(result -> result.success() ? null : result.error())
                .onFailure().recoverWithItem(failure -> failure instanceof CairnException cairn ? cairn.toErrorInfo()
                        : ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: " + failure))
                .flatMap(refusal -> refusal == null ? accept(job) : refuse(job, refusal));
    }

    private Uni<CairnEvent> accept(RestoreJob job) {
        return store.update(job.restoreId(), restore -> restore.accepted(clock.instant()),
                change -> Uni.createFrom().voidItem()).replaceWith((CairnEvent) null);
    }

    private Uni<CairnEvent> refuse(RestoreJob job, ErrorInfo refusal) {
        Instant now = clock.instant();
        LOG.infof("restore %s of %s refused by host %s: %s", job.restoreId(), job.domain(), job.hostId(),
                refusal.message());
        return store.update(job.restoreId(), restore -> restore.fail(refusal, now),
                        change -> change.result() ? completions.record(change.job(), now) : Uni.createFrom().voidItem())
                .invoke(relay::kick)
                .replaceWith((CairnEvent) null);
    }

    /** Every disk file the artifacts' hosts report in use, with who uses it. */
    private Map<String, String> liveDisksOnHostsOf(RestorePoint point) {
        Map<String, String> live = new HashMap<>();
        java.util.Set<String> artifactHosts = new java.util.HashSet<>();
        point.disks().forEach(disk -> disk.chain().forEach(artifact -> artifactHosts.add(artifact.hostId())));
        for (HostInventory host : hosts.all()) {
            if (!artifactHosts.contains(host.hostId())) {
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
}
