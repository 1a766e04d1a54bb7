package io.cairn.backup.service;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What backup.verify does (and the scheduled verify): picks the artifacts (the restore point holding the checkpoint,
 * or every artifact of the domain that has a checksum), stores a restore of mode VERIFY with one single-link chain
 * per artifact, and asks their host's agent to read each one against its checksum. Its verify-completed records each
 * verdict in the catalog.
 */
@ApplicationScoped
public class VerifyCommands {

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RestoreJobStore store;

    @Inject
    RestoreStarter starter;

    @Inject
    Clock clock;

    @Inject
    DomainActivity activity;

    public Uni<CairnEvent> begin(VerifyBeginCommand command) {
        command.validate();
        Uni<List<Artifact>> chosen = activity.requireNoRetentionRunning(command.domain())
                .chain(() -> command.checkpoint() == null ? catalog.artifacts(command.domain())
                        : catalog.restorePoints(command.domain()).map(points -> artifactsOf(command, points)));
        return chosen.map(artifacts -> plan(command, artifacts))
                .flatMap(store::create)
                .flatMap(starter::startIfNew);
    }

    private static List<Artifact> artifactsOf(VerifyBeginCommand command, List<RestorePoint> points) {
        RestorePoint point = points.stream().filter(p -> command.checkpoint().equals(p.checkpoint())).findFirst()
                .orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT, "no restore point of '"
                        + command.domain() + "' holds checkpoint '" + command.checkpoint() + "'"));
        return point.disks().stream().map(DiskRestore::chain).flatMap(List::stream).toList();
    }

    private RestoreJob plan(VerifyBeginCommand command, List<Artifact> artifacts) {
        Map<String, Artifact> distinct = new LinkedHashMap<>();
        artifacts.stream().filter(artifact -> artifact.sha256() != null && artifact.size() != null)
                .forEach(artifact -> distinct.putIfAbsent(artifact.id(), artifact));
        if (distinct.isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: '"
                    + command.domain() + "' has no artifact with a recorded checksum to verify"
                    + (command.checkpoint() == null ? "" : " at '" + command.checkpoint() + "'"));
        }
        List<String> hosts = distinct.values().stream().map(Artifact::hostId).distinct().toList();
        if (hosts.size() > 1) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "this function is not supported: "
                    + "the artifacts of '" + command.domain() + "' are on several hosts " + hosts + "; verify each "
                    + "restore point on its own");
        }
        List<DiskRestorePlan> plan = distinct.values().stream().map(artifact -> new DiskRestorePlan(artifact.disk(),
                List.of(new RestoreLink(artifact.path(), artifact.format(), artifact.size(), artifact.sha256())),
                null, null)).toList();
        return RestoreJob.request(UUID.randomUUID().toString(), command.commandId(), command.domain(), hosts.get(0),
                command.checkpoint(), RestoreMode.VERIFY, plan, clock.instant());
    }
}
