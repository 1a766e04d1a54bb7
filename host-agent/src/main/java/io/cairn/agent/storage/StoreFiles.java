package io.cairn.agent.storage;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Creates and deletes the image files of backup jobs without ever following a symlink: every directory from the
 * storage root down is opened relative to its parent's handle with O_NOFOLLOW (a {@link SecureDirectoryStream}), the
 * file is created with O_CREAT|O_EXCL|O_NOFOLLOW there, and qemu-img's image is written into it through that one
 * descriptor (qemu-img itself writes into a private staging directory, as it opens files by name). A file is
 * deleted only while the entry still is the inode its job created. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class StoreFiles {

    private static final Logger LOG = Logger.getLogger(StoreFiles.class);
    private static final Set<StandardOpenOption> CREATE_EXCLUSIVELY = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    /** A file this agent created for a job: where, and which inode ({@code (dev=..,ino=..)}) it was. */
    public record Created(Path path, String fileKey) {
    }

    /** Writes a fresh image into the staging file it is given (qemu-img create). */
    @FunctionalInterface
    public interface Formatter {
        void format(Path stagingFile);
    }

    private final StoragePolicy policy;
    /** Tests only: runs after the checks and the staging image, right before the file is created. */
    private volatile Consumer<StorePath> beforeCreate = store -> { };

    @Inject
    public StoreFiles(StoragePolicy policy) {
        this.policy = policy;
    }

    /** Tests only: something to do in the window between the path's check and its creation. */
    public void beforeCreateForTests(Consumer<StorePath> hook) {
        this.beforeCreate = hook;
    }

    /**
     * Creates the file exclusively and fills it with the image the formatter writes. Refused with
     * VIR_ERR_OPERATION_DENIED when anything (a symlink included) took the path or a directory on the way since the
     * check; the symlink's target is then never opened.
     */
    public Created create(StorePath store, Formatter formatter) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory("cairn-store-");
            Path image = staging.resolve("image");
            formatter.format(image);
            beforeCreate.accept(store);
            try (SecureDirectoryStream<Path> dir = openDirectory(store, store.directories())) {
                Path name = Path.of(store.fileName());
                try (SeekableByteChannel channel = dir.newByteChannel(name, withNoFollow(CREATE_EXCLUSIVELY),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                    // Read right after O_EXCL created it, relative to the same directory handle.
                    String key = fileKey(dir, name).orElseThrow(() -> new IOException("created file vanished"));
                    try {
                        copy(image, channel);
                        channel.position(0);
                    } catch (IOException | RuntimeException e) {
                        deleteIfSame(dir, name, key, store.path());
                        throw e;
                    }
                    return new Created(store.path(), key);
                }
            } catch (FileAlreadyExistsException e) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                        "'%s' appeared between its check and its creation (a symlink or file swapped in): refused"
                                .formatted(store.text()));
            }
        } catch (CairnException e) {
            throw e;
        } catch (IOException e) {
            if (isNoSpace(e)) {
                // Not a bug but the host's storage: libvirt reports a failed system call as VIR_ERR_SYSTEM_ERROR.
                throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                        "cannot create '%s': No space left on device".formatted(store.text()));
            }
            if (e instanceof FileSystemException) {
                // ELOOP/ENOTDIR: a directory on the way became a symlink (or something else) since the check.
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                        "cannot create '%s' inside '%s' without following a symlink: %s".formatted(store.text(),
                                store.domainDirectory(), e.getMessage()));
            }
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                    "cannot create '%s': %s".formatted(store.text(), e.getMessage()));
        } finally {
            deleteStaging(staging);
        }
    }

    /** True while the entry at the path is still the inode created there (checked without following symlinks). */
    public boolean stillSame(Created created) {
        return currentKey(created.path()).filter(created.fileKey()::equals).isPresent();
    }

    /**
     * Deletes a file a job created, only if the entry still is that inode: never a file swapped in since, never one
     * outside the storage roots. Yields what happened, for logs.
     */
    public String deleteCreated(Created created) {
        Path path = created.path();
        Optional<Path> root = policy.rootOf(path);
        if (root.isEmpty() || path.getNameCount() - root.get().getNameCount() < 2) {
            return "kept " + path + ": not inside a storage root";
        }
        List<String> below = names(root.get().relativize(path));
        StorePath store = new StorePath(root.get(), below.get(0), below, path.toString());
        try (SecureDirectoryStream<Path> dir = openDirectory(store, store.directories())) {
            Path name = Path.of(store.fileName());
            return deleteIfSame(dir, name, created.fileKey(), path);
        } catch (NoSuchFileException e) {
            return "gone: " + path;
        } catch (FileSystemException e) {
            // A directory on the way is a symlink or no directory now: nothing of the job's can be reached there.
            LOG.warnf("not deleting %s: %s", path, e.getMessage());
            return "kept " + path + ": " + e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static String deleteIfSame(SecureDirectoryStream<Path> dir, Path name, String key, Path path)
            throws IOException {
        Optional<String> current = fileKey(dir, name);
        if (current.isEmpty()) {
            return "gone: " + path;
        }
        if (!current.get().equals(key)) {
            LOG.warnf("not deleting %s: it is no longer the file the job created (%s, now %s)", path, key,
                    current.get());
            return "kept " + path + ": replaced since its job created it";
        }
        dir.deleteFile(name);
        return "deleted " + path;
    }

    private Optional<String> currentKey(Path path) {
        try {
            return Optional.of(String.valueOf(Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> fileKey(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            BasicFileAttributes attributes = dir.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            return attributes.isRegularFile() ? Optional.of(String.valueOf(attributes.fileKey()))
                    : Optional.of("not a regular file: " + attributes.fileKey());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Opens the root, then each directory below it relative to its parent's handle, never following a symlink. */
    private static SecureDirectoryStream<Path> openDirectory(StorePath store, List<String> directories)
            throws IOException {
        DirectoryStream<Path> opened = Files.newDirectoryStream(store.root());
        if (!(opened instanceof SecureDirectoryStream<Path> current)) {
            opened.close();
            throw new IOException("this platform cannot open directories relative to a handle");
        }
        try {
            for (String directory : directories) {
                SecureDirectoryStream<Path> next = current.newDirectoryStream(Path.of(directory),
                        LinkOption.NOFOLLOW_LINKS);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private static void copy(Path image, SeekableByteChannel target) throws IOException {
        try (FileChannel source = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (source.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    target.write(buffer);
                }
                buffer.clear();
            }
        }
    }

    private static Set<java.nio.file.OpenOption> withNoFollow(Set<StandardOpenOption> options) {
        Set<java.nio.file.OpenOption> all = new java.util.HashSet<>(options);
        all.add(LinkOption.NOFOLLOW_LINKS);
        return all;
    }

    private static List<String> names(Path relative) {
        List<String> names = new java.util.ArrayList<>();
        relative.forEach(name -> names.add(name.toString()));
        return names;
    }

    private static boolean isNoSpace(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left on device");
    }

    private static void deleteStaging(Path staging) {
        if (staging == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(staging)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.debugf("cannot remove staging directory %s: %s", staging, e.getMessage());
        }
    }
}
