package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.isSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * libvirt's virDomainMomentObjListGetNames: which checkpoints a listing returns for each flag combination, and
 * in a deterministic order where libvirt's is unspecified.
 */
final class CheckpointListing {
    static final String ALL_API = "virDomainListAllCheckpoints";
    static final String CHILDREN_API = "virDomainCheckpointListAllChildren";

    /** Without TOPOLOGICAL libvirt's order is its hash order; Cairn answers oldest first instead. */
    private static final Comparator<Checkpoint> CREATION_ORDER = Comparator.comparingLong(Checkpoint::creationTime)
            .thenComparing(Checkpoint::name);

    private CheckpointListing() {
    }

    static void requireSupported(int flags, String api) {
        int unsupported = flags & ~CheckpointListFlag.SUPPORTED_MASK;
        if (unsupported != 0) {
            throw LineageErrors.unsupportedFlags(unsupported, api);
        }
    }

    /** From the metaroot the ROOTS bit is flipped, as in libvirt: no flag means every descendant of the metaroot. */
    static List<Checkpoint> listAll(LineageNode metaroot, int flags) {
        requireSupported(flags, ALL_API);
        return list(metaroot, flags ^ CheckpointListFlag.ROOTS.value());
    }

    static List<Checkpoint> listChildren(LineageNode from, int flags) {
        return list(from, flags);
    }

    private static List<Checkpoint> list(LineageNode from, int flags) {
        boolean leavesOnly = isSet(flags, CheckpointListFlag.LEAVES);
        boolean noLeavesOnly = isSet(flags, CheckpointListFlag.NO_LEAVES);
        List<Checkpoint> result = new ArrayList<>();
        if (isSet(flags, CheckpointListFlag.DESCENDANTS)) {
            from.forEachDescendant(node -> {
                if (kept(node, leavesOnly, noLeavesOnly)) {
                    result.add(node.checkpoint);
                }
            });
            if (!isSet(flags, CheckpointListFlag.TOPOLOGICAL)) {
                result.sort(CREATION_ORDER);
            }
        } else {
            for (LineageNode child : from.children()) {
                if (kept(child, leavesOnly, noLeavesOnly)) {
                    result.add(child.checkpoint);
                }
            }
        }
        return result;
    }

    /** LEAVES and NO_LEAVES together keep nothing, exactly as libvirt's filter does. */
    private static boolean kept(LineageNode node, boolean leavesOnly, boolean noLeavesOnly) {
        if (leavesOnly && node.hasChildren()) {
            return false;
        }
        return !(noLeavesOnly && !node.hasChildren());
    }
}
