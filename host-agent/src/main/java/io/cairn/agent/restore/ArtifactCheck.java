package io.cairn.agent.restore;

import io.cairn.events.agent.RestoreLink;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Reads a file once and digests it (SHA-256 and size), telling progress as it goes: an artifact checked against what
 * the catalog recorded before a restore trusts it, or a restored image digested for the record. Blocking.
 */
final class ArtifactCheck {
    private static final int CHUNK = 1 << 20;

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

    /** Reads the file (never through a symlink) in 1 MiB chunks. */
    static Digest digest(Path file, LongConsumer bytesRead) throws IOException {
        MessageDigest sha256 = sha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            int read;
            while ((read = channel.read(buffer)) >= 0) {
                if (read == 0) {
                    continue;
                }
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
                size += read;
                bytesRead.accept(read);
            }
        }
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
