package io.cairn.backup.service;

import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.backup.service.restore.RestorePlan;
import io.cairn.backup.service.restore.RestorePlanner;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What restore.begin does: finds the restore point in the catalog, plans it (refusing what cannot work before
 * anything runs), stores the restore, and asks the agent of the host holding the artifacts to run it. Its one outcome
 * is the restore's restore-completed, recorded when the restore ends (here, if the agent refuses it; else from the
 * agent's last report, or by the sweeper when the agent goes silent); an export's is its restore-exported, recorded
 * when its agent reports it serves (or its restore-completed if it fails before).
 */
@ApplicationScoped
public class RestoreCommands {
    @Inject
    ArtifactCatalog catalog;

    @Inject
    RestoreJobStore store;

    @Inject
    HostDirectory hosts;

    @Inject
    RestoreStarter starter;

    @Inject
    DomainActivity activity;

    @Inject
    Clock clock;

    /** A begin whose restore exists is accepted (its outcome comes from the restore); else it waits. */
    public Uni<Boolean> accepted(String commandId) {
        return store.findByCommand(commandId).map(java.util.Optional::isPresent);
    }

    public Uni<CairnEvent> begin(RestoreBeginCommand command) {
        command.validate();
        return activity.requireNoRetentionRunning(command.domain()).chain(() -> catalog.restorePoints(
                command.domain())).flatMap(points -> {
            RestorePoint point = points.stream().filter(p -> command.checkpoint().equals(p.checkpoint()))
                    .findFirst().orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT,
                            "no restore point of '" + command.domain() + "' holds checkpoint '"
                                    + command.checkpoint() + "'"));
            String restoreId = UUID.randomUUID().toString();
            RestorePlan plan = RestorePlanner.plan(command, point, restoreId, liveDisksOnHostsOf(point));
            return store.create(command.effectiveMode() == RestoreMode.EXPORT
                    ? RestoreJob.requestExport(restoreId, command.commandId(), command.domain(), plan.hostId(),
                            command.checkpoint(), plan.disks(), clock.instant(), command.effectiveTtl())
                    : RestoreJob.request(restoreId, command.commandId(), command.domain(), plan.hostId(),
                            command.checkpoint(), command.effectiveMode(), plan.disks(), clock.instant()));
        }).flatMap(starter::startIfNew);
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
