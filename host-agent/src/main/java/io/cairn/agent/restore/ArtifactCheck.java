package io.cairn.agent.restore;

import io.cairn.agent.backup.TargetDigest;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Reads a file once and digests it (SHA-256 and size), telling progress as it goes: an artifact checked against what
 * the catalog recorded before a restore trusts it, or a restored image digested for the record. Blocking.
 */
final class ArtifactCheck {
    /** A file's size and SHA-256 (lower-case hex). */
    record Digest(long size, String sha256) {
    }

    private ArtifactCheck() {
    }

    /**
     * Checks an artifact: present, and its bytes those the catalog recorded.
     *
     * @throws CairnException VIR_ERR_OPERATION_FAILED naming the artifact, the disk and both checksums when not
     */
    static void verify(RestoreLink link, String disk, LongConsumer bytesRead) {
        Digest found;
        try {
            found = digest(Path.of(link.path()), bytesRead);
        } catch (NoSuchFileException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: artifact '"
                    + link.path() + "' of disk '" + disk + "' is missing");
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: artifact '"
                    + link.path() + "' of disk '" + disk + "' cannot be read: " + e.getMessage());
        }
        if (found.size() != link.size() || !found.sha256().equals(link.sha256())) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: artifact '"
                    + link.path() + "' of disk '" + disk + "' is damaged: it has " + found.size() + " bytes with "
                    + "SHA-256 " + found.sha256() + "; the catalog recorded " + link.size() + " bytes with SHA-256 "
                    + link.sha256());
        }
    }

    /** Reads the file (never through a symlink) with the agent's one digest loop. */
    static Digest digest(Path file, LongConsumer bytesRead) throws IOException {
        WrittenTarget read = TargetDigest.digest(file, bytesRead, LinkOption.NOFOLLOW_LINKS);
        return new Digest(read.size(), read.sha256());
    }
}
