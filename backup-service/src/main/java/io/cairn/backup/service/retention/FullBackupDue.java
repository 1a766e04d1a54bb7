package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.catalog.RestorePoints;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a disk's next backup must be a full one under a policy, and why: a chain that only grows makes every
 * restore read more links and bytes, so the policy bounds it. Looks at the chain the next incremental would stack
 * on, as it stands (links merged by pruning count once): the disk's latest artifact holding the checkpoint the
 * incremental is taken from, as {@code ChainBases} finds it for the agent.
 *
 * @param detail what was found, for logs and the job's reason
 */
public record FullBackupDue(String disk, boolean due, Reason reason, String detail) {

    /** What decided it. */
    public enum Reason {
        /** The catalog holds no artifact of the disk: there is nothing to stack an incremental on. */
        NO_ARTIFACT,
        /** No artifact of the disk holds the checkpoint the incremental would be from: it would not restore. */
        NO_BASE,
        /** The base's chain has a missing link: an incremental on it would not restore either. */
        INCOMPLETE_CHAIN,
        /** The chain holds {@code fullEvery} incrementals already. */
        INCREMENTAL_LIMIT,
        /** The chain's artifacts take more than {@code maxChainBytes}. */
        CHAIN_SIZE,
        /** None of the above: an incremental may follow. */
        NOT_DUE
    }

    /** The decision for {@code disk} when the next incremental is from the domain's newest backup's checkpoint. */
    public static FullBackupDue of(RetentionPolicy policy, List<Artifact> catalog, String disk) {
        String newest = catalog.stream().max(Comparator.comparing(Artifact::completedAt)).map(Artifact::checkpoint)
                .orElse(null);
        return of(policy, catalog, disk, newest);
    }

    /**
     * The decision for {@code disk} of a push backup on {@code hostId} when the next incremental is from
     * {@code incrementalFrom}: only that host's push artifacts can be its base, as {@code ChainBases} finds it for the
     * agent (a domain that moved hosts starts a new chain there).
     */
    public static FullBackupDue of(RetentionPolicy policy, List<Artifact> catalog, String disk,
            String incrementalFrom, String hostId) {
        return of(policy, catalog.stream().filter(artifact -> artifact.mode() == io.cairn.events.model.BackupMode.PUSH
                && java.util.Objects.equals(hostId, artifact.hostId())).toList(), disk, incrementalFrom);
    }

    /** The decision for {@code disk} when the next incremental is from {@code incrementalFrom}. */
    public static FullBackupDue of(RetentionPolicy policy, List<Artifact> catalog, String disk,
            String incrementalFrom) {
        Objects.requireNonNull(policy, "policy");
        if (catalog.stream().noneMatch(artifact -> artifact.disk().equals(disk))) {
            return new FullBackupDue(disk, true, Reason.NO_ARTIFACT, "no backup of disk '" + disk + "' in the catalog");
        }
        Optional<Artifact> base = catalog.stream().filter(artifact -> artifact.captures(disk, incrementalFrom))
                .filter(artifact -> incrementalFrom != null).max(Comparator.comparing(Artifact::completedAt));
        if (base.isEmpty()) {
            return new FullBackupDue(disk, true, Reason.NO_BASE, "disk '%s': no artifact holds checkpoint '%s', "
                    .formatted(disk, incrementalFrom) + "which the next incremental would be from");
        }
        DiskRestore chain = chainOf(base.get(), catalog);
        if (!chain.complete()) {
            return new FullBackupDue(disk, true, Reason.INCOMPLETE_CHAIN, chain.missing());
        }
        int incrementals = chain.chain().size() - 1;
        String of = "disk '%s': the chain of %s".formatted(disk, base.get().id());
        if (policy.fullEvery() > 0 && incrementals >= policy.fullEvery()) {
            return new FullBackupDue(disk, true, Reason.INCREMENTAL_LIMIT, "%s holds %d incrementals, fullEvery is %d"
                    .formatted(of, incrementals, policy.fullEvery()));
        }
        long bytes = 0;
        int unknown = 0;
        for (Artifact link : chain.chain()) {
            if (link.size() == null) {
                unknown++;
            } else {
                bytes += link.size();
            }
        }
        String unknownNote = unknown == 0 ? "" : " (%d size(s) unknown, not counted)".formatted(unknown);
        if (policy.maxChainBytes() > 0 && bytes > policy.maxChainBytes()) {
            return new FullBackupDue(disk, true, Reason.CHAIN_SIZE, "%s takes %d bytes%s, maxChainBytes is %d"
                    .formatted(of, bytes, unknownNote, policy.maxChainBytes()));
        }
        return new FullBackupDue(disk, false, Reason.NOT_DUE, "%s holds %d incrementals, %d bytes%s"
                .formatted(of, incrementals, bytes, unknownNote));
    }

    private static DiskRestore chainOf(Artifact top, List<Artifact> catalog) {
        for (RestorePoint point : RestorePoints.of(catalog, List.of())) {
            if (point.jobId().equals(top.jobId())) {
                return point.disks().stream().filter(disk -> disk.disk().equals(top.disk())).findFirst()
                        .orElseThrow();
            }
        }
        throw new IllegalStateException("every artifact is in its job's restore point: " + top.id());
    }
}
