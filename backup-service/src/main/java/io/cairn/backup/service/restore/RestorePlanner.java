package io.cairn.backup.service.restore;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a restore.begin and the restore point it names into the agent's plan, pure: which disks, which chain of
 * artifacts each (with the checksums the agent must find), and where each image goes. Refuses what cannot work
 * before anything runs: a disk the point does not hold, an incomplete chain, artifacts on several hosts, an artifact
 * the catalog has no checksum for, and a target that is a live disk or one of the artifacts themselves. An export
 * gets the same refusals but has no target: it writes nothing.
 */
public final class RestorePlanner {

    private RestorePlanner() {
    }

    /**
     * @param liveDisks every disk file the artifacts' host reports in use, each with who uses it ("disk 'vda' of
     *                  domain 'web'"), so a restore can never write over a running VM's disk
     */
    public static RestorePlan plan(RestoreBeginCommand command, RestorePoint point, String restoreId,
            Map<String, String> liveDisks) {
        List<RestoreTarget> wanted = command.disks().isEmpty()
                ? point.disks().stream().map(disk -> new RestoreTarget(disk.disk(), null, null)).toList()
                : command.disks();
        List<DiskRestorePlan> plans = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        Set<String> targets = new HashSet<>();
        Set<String> artifacts = new HashSet<>();
        for (RestoreTarget target : wanted) {
            DiskRestore disk = point.disks().stream().filter(d -> d.disk().equals(target.name())).findFirst()
                    .orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "restore point '"
                            + point.checkpoint() + "' of '" + command.domain() + "' has no disk '" + target.name()
                            + "' (it has " + point.disks().stream().map(DiskRestore::disk).toList() + ")"));
            if (!disk.complete()) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not "
                        + "valid: restore point '" + point.checkpoint() + "' cannot restore disk '" + disk.disk()
                        + "': " + disk.missing());
            }
            List<RestoreLink> chain = disk.chain().stream().map(RestorePlanner::link).toList();
            disk.chain().forEach(artifact -> hosts.add(artifact.hostId()));
            chain.forEach(link -> artifacts.add(link.path()));
            if (command.effectiveMode() == RestoreMode.EXPORT) {
                plans.add(new DiskRestorePlan(disk.disk(), chain, null, null)); // served, nothing written
                continue;
            }
            String format = command.effectiveMode() == RestoreMode.THIN ? "qcow2"
                    : target.format() != null ? target.format() : "qcow2";
            String path = target.path() != null ? target.path()
                    : defaultPath(disk, point.checkpoint(), restoreId, format);
            if (!targets.add(path)) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "two disks would be restored to '"
                        + path + "'");
            }
            plans.add(new DiskRestorePlan(disk.disk(), chain, path, format));
        }
        if (hosts.size() > 1) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "this function is not supported: "
                    + "the artifacts of restore point '" + point.checkpoint() + "' are on several hosts " + hosts
                    + "; restore the disks of each host separately");
        }
        for (DiskRestorePlan plan : plans) {
            if (plan.target() == null) {
                continue;
            }
            String user = liveDisks.get(plan.target());
            if (user != null) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not "
                        + "valid: '" + plan.target() + "' is " + user + ", in use: a restore never writes into a "
                        + "live disk; restore to a new path and switch the VM over while it is stopped");
            }
            if (artifacts.contains(plan.target())) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not "
                        + "valid: '" + plan.target() + "' is a backup artifact; a restore never writes over one");
            }
        }
        return new RestorePlan(hosts.iterator().next(), plans);
    }

    private static RestoreLink link(Artifact artifact) {
        if (artifact.sha256() == null || artifact.size() == null) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                    + "artifact '" + artifact.path() + "' of disk '" + artifact.disk() + "' has no checksum in the "
                    + "catalog (its agent could not read it back), so it cannot be verified before a restore");
        }
        return new RestoreLink(artifact.path(), artifact.format(), artifact.size(), artifact.sha256());
    }

    /** Beside the disk's newest artifact (the domain's own directory on its host), named for what it holds. */
    static String defaultPath(DiskRestore disk, String checkpoint, String restoreId, String format) {
        String newest = disk.chain().get(disk.chain().size() - 1).path();
        String directory = newest.substring(0, newest.lastIndexOf('/') + 1);
        String shortId = restoreId.length() > 8 ? restoreId.substring(0, 8) : restoreId;
        String name = disk.disk().replace('/', '_');
        return directory + name + "." + checkpoint + ".restore-" + shortId + "." + format;
    }
}
