package io.cairn.backup.service.catalog;

import java.util.List;

/**
 * How one disk of a restore point is restored: the chain of artifacts from a full backup to the one holding the
 * restore point's state, in the order they are stacked (each incremental on top of the one before).
 *
 * @param chain   the links found, full first when complete; when incomplete, only those above the gap
 * @param missing why the chain is incomplete (the checkpoint and disk no artifact restores); null when complete
 */
public record DiskRestore(String disk, List<Artifact> chain, String missing) {
    public DiskRestore {
        chain = List.copyOf(chain);
    }

    public boolean complete() {
        return missing == null;
    }
}
