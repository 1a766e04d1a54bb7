package io.cairn.agent.backup;

import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.error.CairnException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Decides which file a completed push incremental names as its backing: the service's chain base when it is a file
 * this agent could have written for the same domain, otherwise a path that cannot exist and says why.
 */
final class ChainBases {

    private static final Logger LOG = Logger.getLogger(ChainBases.class);
    /** Appended to the target's own path: never created by anyone, and the error every reader gets names it. */
    static final String UNKNOWN_SUFFIX = ".base-not-in-catalog";

    private ChainBases() {
    }

    /** The backing for an incremental whose base artifact is unknown: reading the target fails, naming this. */
    static Path unknownBase(Path target) {
        return Path.of(target + UNKNOWN_SUFFIX);
    }

    /**
     * Blocking: the request's chain base for {@code disk} if it is a regular file owned by the agent inside the
     * domain's storage directory and not the target itself; null (logged) otherwise.
     */
    static Path confined(StoragePolicy storage, StartBackupRequest request, String disk, Path target) {
        String base = request.chainBases().get(disk);
        if (base == null) {
            return null;
        }
        try {
            Path checked = storage.checkReusedStore(base, request.domain(), disk).path();
            if (checked.equals(target)) {
                LOG.warnf("backup job %s: chain base of disk %s is its own target; treated as unknown",
                        request.jobId(), disk);
                return null;
            }
            return checked;
        } catch (CairnException | java.io.UncheckedIOException e) {
            LOG.warnf("backup job %s: chain base '%s' of disk %s refused (%s); treated as unknown",
                    request.jobId(), base, disk, e.getMessage());
            return null;
        }
    }
}
