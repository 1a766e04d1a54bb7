package io.cairn.events.agent;

import java.util.List;

/**
 * What to restore for one disk: the chain to stack (full first; the agent gives QEMU each link's backing explicitly,
 * never trusting the files' headers) and the new image to write.
 */
public record DiskRestorePlan(String disk, List<RestoreLink> chain, String target, String format) {
    public DiskRestorePlan {
        chain = chain == null ? List.of() : List.copyOf(chain);
    }
}
