package io.cairn.agent.backup;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The files (targets, scratch images, NBD sockets) each job of this host holds from its start until its end, so two
 * jobs never write, delete or listen on the same path, whatever domains they belong to.
 */
final class HeldPaths {

    private record Holder(String jobId, String domain) {
    }

    private final Map<Path, Holder> held = new HashMap<>();

    /** Takes every path for the job, or none: VIR_ERR_OPERATION_INVALID if another job holds one of them. */
    synchronized void claim(String jobId, String domain, Collection<Path> paths) {
        Set<Path> seen = new HashSet<>();
        for (Path path : paths) {
            if (!seen.add(path)) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                        "path '%s' is named twice in one backup".formatted(path));
            }
            Holder holder = held.get(path);
            if (holder != null && !holder.jobId().equals(jobId)) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                        "path '%s' is in use by backup job '%s' of domain '%s'".formatted(path, holder.jobId(),
                                holder.domain()));
            }
        }
        paths.forEach(path -> held.put(path, new Holder(jobId, domain)));
    }

    synchronized void release(String jobId) {
        held.values().removeIf(holder -> holder.jobId().equals(jobId));
    }
}
