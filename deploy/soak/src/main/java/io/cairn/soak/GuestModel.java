package io.cairn.soak;

import io.cairn.testing.qemu.PatternWrite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the guest wrote, in order: the soak keeps every pattern write of a VM (initial content included) so it can
 * produce the exact disk content at any point of the VM's history. A backup's expected content is the content after
 * the first {@code n} writes, where {@code n} is the write count when the backup.begin was sent: the VM's actor
 * writes nothing between sending a begin and seeing its backup-started, so QEMU's point in time lies in that gap.
 */
final class GuestModel {
    /** One guest write on one disk; {@code seq} orders the writes of the whole VM. */
    record Write(long seq, String disk, PatternWrite write) {
    }

    private final Map<String, Long> diskSizes = new LinkedHashMap<>();
    private final List<Write> writes = new ArrayList<>();

    GuestModel(Map<String, Long> diskSizes) {
        this.diskSizes.putAll(diskSizes);
    }

    synchronized Write add(String disk, PatternWrite write) {
        Write w = new Write(writes.size(), disk, write);
        writes.add(w);
        return w;
    }

    /** How many writes the VM has had; a snapshot of the content is "the first n writes". */
    synchronized long count() {
        return writes.size();
    }

    synchronized List<Write> between(long fromInclusive, long toExclusive, String disk) {
        List<Write> found = new ArrayList<>();
        for (Write w : writes.subList((int) Math.min(fromInclusive, writes.size()),
                (int) Math.min(toExclusive, writes.size()))) {
            if (w.disk().equals(disk)) {
                found.add(w);
            }
        }
        return found;
    }

    long size(String disk) {
        return diskSizes.get(disk);
    }

    /** Writes the raw image of {@code disk} after the first {@code n} writes of the VM to {@code target}. */
    void expectedImage(String disk, long n, Path target) throws IOException {
        List<Write> upTo;
        synchronized (this) {
            upTo = List.copyOf(writes.subList(0, (int) Math.min(n, writes.size())));
        }
        byte[] content = new byte[Math.toIntExact(size(disk))];
        for (Write w : upTo) {
            if (w.disk().equals(disk)) {
                PatternWrite p = w.write();
                Arrays.fill(content, (int) p.offset(), (int) (p.offset() + p.length()), (byte) p.pattern());
            }
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(content);
        }
    }
}
