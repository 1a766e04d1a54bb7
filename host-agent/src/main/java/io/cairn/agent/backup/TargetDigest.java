package io.cairn.agent.backup;

import io.cairn.events.agent.WrittenTarget;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Reads a completed push target back and digests it (SHA-256 of the file's bytes, and their count), on a worker
 * thread and in fixed chunks, so the catalog records what was written where the data is.
 */
public final class TargetDigest {

    /** Large enough that the digest, not the system calls, is the cost; small enough to stay off the heap's radar. */
    private static final int CHUNK = 1 << 20;

    private TargetDigest() {
    }

    /** The target's size and SHA-256, computed off the caller's thread (never on an event loop). */
    public static Uni<WrittenTarget> of(Path target) {
        return Uni.createFrom().item(() -> digest(target)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: reads the whole file (or block device) once, in {@value #CHUNK}-byte chunks. */
    public static WrittenTarget digest(Path target) {
        try {
            return digest(target, read -> { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup target " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Blocking: the one digest loop of the agent (targets, artifacts checked before a restore, restored images),
     * telling {@code bytesRead} each chunk; {@code options} add to READ (NOFOLLOW_LINKS for files that must not be
     * reached through a symlink).
     */
    public static WrittenTarget digest(Path target, LongConsumer bytesRead, OpenOption... options)
            throws IOException {
        MessageDigest sha256 = sha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        long size = 0;
        Set<OpenOption> open = new HashSet<>(List.of(options));
        open.add(StandardOpenOption.READ);
        try (FileChannel channel = FileChannel.open(target, open)) {
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
        return new WrittenTarget(target.toString(), size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
