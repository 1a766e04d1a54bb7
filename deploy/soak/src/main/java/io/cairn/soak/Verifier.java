package io.cairn.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's side of every successful backup, one at a time on its own thread: push targets are moved out of the
 * agent's storage into the soak's restore directory (byte for byte: a qemu-img convert would lose an incremental's
 * zero flags), incrementals are attached to the restore image of their base checkpoint with {@code qemu-img rebase -u}
 * exactly as the tour does, and each restore chain (or pulled image) is compared with {@code qemu-img compare}
 * against the raw image the guest model gives for the backup's point in time. A chain that is identical becomes the
 * restore point of the checkpoint the backup created, so later incrementals from it can be checked too.
 */
final class Verifier implements AutoCloseable {
    private static final Pattern MISMATCH = Pattern.compile("offset (\\d+)");

    private final Path restoreDir;
    private final Violations violations;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "soak-verifier");
        thread.setDaemon(true);
        return thread;
    });
    private static final int KEPT_POINTS = 3;
    /** Guards the image bookkeeping below. */
    private final Object images = new Object();
    /** domain/checkpoint/disk -> an image (chain head) whose content is the disk at that checkpoint. */
    private final Map<String, Path> restorePoints = new HashMap<>();
    private final Map<String, java.util.Deque<String>> recentPoints = new HashMap<>();
    private final Map<Path, Path> parentOf = new HashMap<>();
    private final Map<Path, Integer> children = new HashMap<>();
    private final java.util.Set<Path> pinned = new java.util.HashSet<>();
    final AtomicInteger identical = new AtomicInteger();
    final AtomicInteger different = new AtomicInteger();
    final AtomicInteger fullChecked = new AtomicInteger();
    final AtomicInteger incrementalChecked = new AtomicInteger();
    final AtomicInteger pullChecked = new AtomicInteger();
    final AtomicInteger unverifiableNoBase = new AtomicInteger();
    final AtomicInteger unverifiableNoSnapshot = new AtomicInteger();
    final AtomicInteger longestChain = new AtomicInteger();
    private final Map<Path, Integer> chainLength = new HashMap<>();

    Verifier(Path restoreDir, Violations violations) {
        this.restoreDir = restoreDir;
        this.violations = violations;
    }

    void submit(Ledger.Backup backup) {
        synchronized (backup) {
            if (backup.verificationQueued) {
                return;
            }
            backup.verificationQueued = true;
        }
        worker.submit(() -> {
            try {
                verify(backup);
            } catch (RuntimeException | IOException e) {
                violations.note("verification of " + backup + " could not run: " + e);
            }
        });
    }

    /** Waits for the queued verifications. */
    void drain(long seconds) {
        worker.shutdown();
        try {
            worker.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void verify(Ledger.Backup backup) throws IOException {
        if (!backup.succeeded()) {
            return;
        }
        if (backup.push()) {
            verifyPush(backup);
        } else {
            verifyPull(backup);
        }
    }

    private void verifyPush(Ledger.Backup backup) throws IOException {
        String domain = backup.vm.domain();
        Map<String, Path> heads = new HashMap<>();
        boolean allIdentical = true;
        for (Map.Entry<String, Path> store : backup.stores.entrySet()) {
            String disk = store.getKey();
            Path target = store.getValue();
            if (!Files.isRegularFile(target)) {
                violations.add(Violations.VERDICT, "a push reported successful has no target: " + backup + ", disk "
                        + disk + ", " + target + " is missing");
                allIdentical = false;
                continue;
            }
            Path copy = restoreDir.resolve(domain).resolve(target.getFileName().toString());
            Files.createDirectories(copy.getParent());
            Files.copy(target, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(target);
            // The image's own metadata only ("backing": null): an incremental's header names the agent's previous
            // target (which this verifier has moved away) or a path that cannot exist, until it is rebased below.
            Tools.Result check = Tools.run(List.of("qemu-img", "check", "-q", withoutBacking(copy)));
            if (!check.ok()) {
                violations.add(Violations.VERDICT, "a push reported successful left a damaged target: " + backup
                        + ", disk " + disk + ": qemu-img check: " + check.output().strip());
                pin(copy);
                allIdentical = false;
                continue;
            }
            if (!backup.snapshotKnown) {
                unverifiableNoSnapshot.incrementAndGet();
                release(copy);
                allIdentical = false;
                continue;
            }
            int length = 1;
            if (backup.base != null) {
                Path base = restorePoint(domain, backup.base, disk);
                if (base == null) {
                    unverifiableNoBase.incrementAndGet();
                    release(copy);
                    allIdentical = false;
                    continue;
                }
                Tools.Result rebase = Tools.run(List.of("qemu-img", "rebase", "-u", "-F", "qcow2", "-b",
                        base.toString(), copy.toString()));
                if (!rebase.ok()) {
                    violations.note("rebase of " + copy + " failed: " + rebase.output().strip());
                    release(copy);
                    allIdentical = false;
                    continue;
                }
                synchronized (images) {
                    parentOf.put(copy, base);
                    children.merge(base, 1, Integer::sum);
                    length = chainLength.getOrDefault(base, 1) + 1;
                }
                incrementalChecked.incrementAndGet();
            } else {
                fullChecked.incrementAndGet();
            }
            synchronized (images) {
                chainLength.put(copy, length);
            }
            if (compare(backup, disk, copy, backup.base == null ? "full push" : "chain of " + length
                    + " (full + incrementals)")) {
                heads.put(disk, copy);
                longestChain.accumulateAndGet(length, Math::max);
            } else {
                pin(copy);
                allIdentical = false;
            }
        }
        settle(backup, heads, allIdentical);
    }

    private void verifyPull(Ledger.Backup backup) throws IOException {
        if (backup.pulled.isEmpty()) {
            return;
        }
        if (!backup.snapshotKnown) {
            unverifiableNoSnapshot.incrementAndGet();
            backup.pulled.values().forEach(this::release);
            return;
        }
        Map<String, Path> heads = new HashMap<>();
        boolean allIdentical = true;
        for (Map.Entry<String, Path> image : backup.pulled.entrySet()) {
            pullChecked.incrementAndGet();
            if (compare(backup, image.getKey(), image.getValue(), "image read from the pull export")) {
                heads.put(image.getKey(), image.getValue());
            } else {
                pin(image.getValue());
                allIdentical = false;
            }
        }
        settle(backup, heads, allIdentical);
    }

    /**
     * Identical images of a backup that created a checkpoint become that checkpoint's restore point (the base of later
     * incrementals); only the newest few per domain are kept, since incrementals start from the newest checkpoint.
     * Images nothing needs any more are deleted; an image that differed is kept as evidence, with its chain.
     */
    private void settle(Ledger.Backup backup, Map<String, Path> heads, boolean allIdentical) {
        String domain = backup.vm.domain();
        if (!allIdentical || backup.checkpoint == null) {
            heads.values().forEach(this::release);
            return;
        }
        synchronized (images) {
            heads.forEach((disk, head) -> restorePoints.put(domain + "/" + backup.checkpoint + "/" + disk, head));
            java.util.Deque<String> recent = recentPoints.computeIfAbsent(domain, d -> new java.util.ArrayDeque<>());
            recent.addLast(backup.checkpoint);
            while (recent.size() > KEPT_POINTS) {
                String old = recent.removeFirst();
                List<String> keys = restorePoints.keySet().stream().filter(k -> k.startsWith(domain + "/" + old
                        + "/")).toList();
                for (String key : keys) {
                    release(restorePoints.remove(key));
                }
            }
        }
    }

    private void pin(Path image) {
        synchronized (images) {
            pinned.add(image);
        }
    }

    /** Deletes an image no restore point, pinned image or later link needs, then its base if that is free now. */
    private void release(Path image) {
        synchronized (images) {
            if (image == null || pinned.contains(image) || restorePoints.containsValue(image)
                    || children.getOrDefault(image, 0) > 0) {
                return;
            }
            try {
                Files.deleteIfExists(image);
            } catch (IOException e) {
                return;
            }
            chainLength.remove(image);
            children.remove(image);
            Path parent = parentOf.remove(image);
            if (parent != null) {
                children.merge(parent, -1, Integer::sum);
                release(parent);
            }
        }
    }

    private boolean compare(Ledger.Backup backup, String disk, Path image, String what) throws IOException {
        Path expected = restoreDir.resolve("expected-" + disk + ".raw");
        backup.vm.model().expectedImage(disk, backup.snapshot, expected);
        try {
            Tools.Result result = Tools.run(List.of("qemu-img", "compare", "-f", "qcow2", "-F", "raw",
                    image.toString(), expected.toString()));
            if (result.exit() == 0) {
                identical.incrementAndGet();
                return true;
            }
            if (result.exit() == 1) {
                different.incrementAndGet();
                violations.add(Violations.RESTORE, "the " + what + " of " + backup + ", disk " + disk
                        + ", differs from the disk at the backup's point in time (the guest's first " + backup.snapshot
                        + " writes): " + result.output().strip() + explain(backup, disk, result.output()) + "; image "
                        + image);
                return false;
            }
            violations.note("qemu-img compare of " + image + " failed: " + result.output().strip());
            return false;
        } finally {
            Files.deleteIfExists(expected);
        }
    }

    /** Which guest writes touch the first differing offset: before the snapshot (missing) or after it (leaked). */
    private static String explain(Ledger.Backup backup, String disk, String output) {
        Matcher m = MISMATCH.matcher(output);
        if (!m.find()) {
            return "";
        }
        long offset = Long.parseLong(m.group(1));
        StringBuilder text = new StringBuilder(" [writes covering offset " + offset + ": ");
        for (GuestModel.Write w : backup.vm.model().between(0, Long.MAX_VALUE, disk)) {
            if (w.write().offset() <= offset && offset < w.write().offset() + w.write().length()) {
                text.append("#").append(w.seq()).append(w.seq() < backup.snapshot ? "(in)" : "(after)")
                        .append(String.format(" 0x%02x; ", w.write().pattern()));
            }
        }
        return text.append("]").toString();
    }

    private Path restorePoint(String domain, String checkpoint, String disk) {
        synchronized (images) {
            return restorePoints.get(domain + "/" + checkpoint + "/" + disk);
        }
    }

    boolean hasRestorePoint(String domain, String checkpoint) {
        synchronized (images) {
            return restorePoints.keySet().stream().anyMatch(k -> k.startsWith(domain + "/" + checkpoint + "/"));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** A qemu-img filename opening the qcow2 alone, whatever its header names as backing file. */
    static String withoutBacking(Path qcow2) {
        String path = qcow2.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return "json:{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"" + path
                + "\"},\"backing\":null}";
    }
}
