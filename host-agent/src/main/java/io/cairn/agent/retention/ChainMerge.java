package io.cairn.agent.retention;

import io.cairn.agent.backup.TargetDigest;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Takes one expired link out of a backup chain on disk, the host side of a retention plan's merge step: the kept
 * successor is rewritten to stand on the expired link's base (or alone), reading exactly as before, with a safe
 * {@code qemu-img rebase} (it copies in what the expired link supplied; {@code -u} would drop it). The chain is always
 * given explicitly ({@code json:} names), since headers may name the live disk or a {@code .base-not-in-catalog}
 * file. The work is done on a copy beside the successor, which replaces it with one rename only once qemu-img
 * succeeded, {@code qemu-img check} finds it clean and (unless turned off) {@code qemu-img compare} finds the new
 * chain equal to the old one; on any failure the successor is left as it was. The expired file is never written:
 * deleting it is the caller's later step, once no step needs it. Every file must be a regular file of the agent's
 * in the domain's own storage directory ({@link StoragePolicy}), so a bad request cannot make the agent rewrite or
 * read anything else. Blocking, and reads the whole disk: call it on a worker thread.
 */
public final class ChainMerge {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoragePolicy storage;
    private final QemuImgRun qemuImg;
    private final boolean verify;

    /** qemu-img from the PATH, at most {@code timeout} per run, comparing the chains before the rename. */
    public ChainMerge(StoragePolicy storage, Duration timeout) {
        this(storage, "qemu-img", timeout, true);
    }

    /** Another qemu-img (a stand-in in tests); {@code verify}: compare old and new chain before the rename. */
    ChainMerge(StoragePolicy storage, String qemuImg, Duration timeout, boolean verify) {
        this.storage = storage;
        this.qemuImg = new QemuImgRun(qemuImg, timeout);
        this.verify = verify;
    }

    /**
     * Rewrites {@code successor}, stacked on {@code expired}, to stand on {@code expiredBase.get(0)} (alone when
     * {@code expiredBase} is empty, i.e. the expired link is a full), with the same content.
     *
     * @param domain      the domain whose storage directory must hold every file
     * @param disk        the disk the chain is of (for messages)
     * @param successor   the kept artifact directly above the expired link; replaced atomically
     * @param expired     the expired link; only read
     * @param expiredBase the chain under the expired link, nearest first, down to its full; empty for a full
     * @return the successor's new size and SHA-256
     */
    public MergedArtifact merge(String domain, String disk, Path successor, Path expired, List<Path> expiredBase) {
        requireFiles(successor, expired, expiredBase);
        // The confined forms: resolved from the storage root down, so no symlink is on the way to what qemu-img opens.
        Path target = confined(successor, domain, disk);
        Path link = confined(expired, domain, disk);
        List<Path> base = new ArrayList<>();
        for (Path below : expiredBase) {
            base.add(confined(below, domain, disk));
        }
        Object identity = fileKey(target);
        Path work = createWorkCopy(target);
        try {
            rebase(work, chain(work, link, base), base);
            requireClean(work);
            if (verify) {
                requireSameContent(chain(target, link, base), chain(work, null, base));
            }
            force(work);
            WrittenTarget digest = TargetDigest.digest(work);
            if (!Objects.equals(identity, fileKey(target))) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                        "'%s' was replaced while it was being merged: left as it is now".formatted(successor));
            }
            replace(work, target);
            return new MergedArtifact(successor, base.isEmpty() ? null : base.get(0), digest.size(), digest.sha256());
        } finally {
            deleteQuietly(work);
        }
    }

    /** Safe rebase onto the base chain (given explicitly too), then the header made to name the base's own path. */
    private void rebase(Path work, List<Path> oldChain, List<Path> base) {
        String what = "merging the expired link into '%s'".formatted(work);
        if (base.isEmpty()) {
            qemuImg.require(what, "rebase", "-q", "-F", "qcow2", "-b", "", ExplicitChain.of(oldChain));
            return;
        }
        qemuImg.require(what, "rebase", "-q", "-F", "qcow2", "-b", ExplicitChain.of(base), ExplicitChain.of(oldChain));
        // The safe rebase wrote the json: name into the header; only the base's own path belongs there.
        qemuImg.require(what, "rebase", "-q", "-u", "-f", "qcow2", "-F", "qcow2", "-b", base.get(0).toString(),
                work.toString());
    }

    private void requireClean(Path work) {
        QemuImgRun.Result check = qemuImg.run("check", "-q", ExplicitChain.of(List.of(work)));
        if (check.exit() != 0) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "qemu-img check of the merged copy of "
                    + "'%s' exited with %d (not clean): %s".formatted(work, check.exit(), check.output()));
        }
    }

    private void requireSameContent(List<Path> before, List<Path> after) {
        QemuImgRun.Result compare = qemuImg.run("compare", "-q", ExplicitChain.of(before), ExplicitChain.of(after));
        if (compare.exit() != 0) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "the merged chain %s does not read as %s "
                    .formatted(after, before) + "(qemu-img compare exited with %d): %s".formatted(compare.exit(),
                            compare.output()));
        }
    }

    private Path confined(Path path, String domain, String disk) {
        return storage.checkReusedStore(path.toString(), domain, disk).path();
    }

    private static List<Path> chain(Path top, Path expired, List<Path> base) {
        List<Path> chain = new ArrayList<>();
        chain.add(top);
        if (expired != null) {
            chain.add(expired);
        }
        chain.addAll(base);
        return chain;
    }

    /** Every file named must be a regular file, not a symlink, and named once: anything else is a caller's bug. */
    private static void requireFiles(Path successor, Path expired, List<Path> base) {
        Set<Path> seen = new HashSet<>();
        for (Path path : chain(successor, expired, base)) {
            if (!path.isAbsolute()) {
                throw invalid("'%s' is not an absolute path".formatted(path));
            }
            if (!seen.add(path.normalize())) {
                throw invalid("'%s' appears twice in the chain to merge".formatted(path));
            }
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw invalid(Files.isSymbolicLink(path) ? "'%s' is a symbolic link, not a backup file".formatted(path)
                        : "'%s' is not an existing regular file".formatted(path));
            }
        }
    }

    /**
     * A byte-for-byte copy beside the successor (same file system, so the rename is atomic), created exclusively
     * and never through a symlink; {@code qemu-img convert} would lose the successor's zero clusters.
     */
    private static Path createWorkCopy(Path successor) {
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        Path work = successor.resolveSibling("." + successor.getFileName() + ".merge-"
                + HexFormat.of().formatHex(suffix));
        try (FileChannel source = FileChannel.open(successor, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                FileChannel target = FileChannel.open(work, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            long size = source.size();
            long copied = 0;
            while (copied < size) {
                copied += source.transferTo(copied, size - copied, target);
            }
            return work;
        } catch (FileAlreadyExistsException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED, "'%s' exists already: refused".formatted(work));
        } catch (IOException e) {
            deleteQuietly(work);
            VirErrorCode code = String.valueOf(e.getMessage()).contains("No space left on device")
                    ? VirErrorCode.VIR_ERR_SYSTEM_ERROR : VirErrorCode.VIR_ERR_OPERATION_FAILED;
            throw new CairnException(code, "cannot copy '%s' to merge into: %s".formatted(successor, e.getMessage()), e);
        }
    }

    /** rename(2) over the successor, then the directory synced so the new entry survives a crash. */
    private static void replace(Path work, Path successor) {
        try {
            Files.move(work, successor, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(successor.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "cannot replace '%s' atomically: %s".formatted(successor, e.getMessage()), e);
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                    "cannot replace '%s' with its merged copy: %s".formatted(successor, e.getMessage()), e);
        }
    }

    private static void force(Path work) {
        try (FileChannel channel = FileChannel.open(work, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR, "cannot sync '%s': %s".formatted(work,
                    e.getMessage()), e);
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "cannot inspect '%s': %s".formatted(path,
                    e.getMessage()), e);
        }
    }

    private static void deleteQuietly(Path work) {
        try {
            Files.deleteIfExists(work);
        } catch (IOException e) {
            // Only our own hidden copy; a leftover is named after the successor, for an operator to find.
        }
    }

    private static CairnException invalid(String message) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "cannot merge: " + message);
    }
}
