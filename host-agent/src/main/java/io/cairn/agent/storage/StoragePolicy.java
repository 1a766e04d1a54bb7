package io.cairn.agent.storage;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Confines every file a domain's backup job names to that domain's own directory, {@code <storage-root>/<domain>/}:
 * targets, scratch images, NBD unix sockets, and the artifacts a restore export serves. A path elsewhere (another directory, '..', another domain's
 * directory, a symlink on the way) is refused with VIR_ERR_OPERATION_DENIED, so a compromised or buggy service
 * cannot make QEMU read or overwrite another domain's backups or any other host file. The checks here are
 * path-based; {@link StoreFiles} then creates and deletes by walking directory handles, so a symlink swapped in
 * after a check is not followed either. Blocking file system calls: call it from a worker thread.
 */
@ApplicationScoped
public class StoragePolicy {

    /** Group and others may not write a directory on the way: nobody but the agent's user can swap entries. */
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private final List<Path> roots;
    private final int agentUid;

    @Inject
    public StoragePolicy(AgentConfig config) {
        this(config.storageRoots());
    }

    public StoragePolicy(List<Path> roots) {
        this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
        this.agentUid = currentUid();
        requireDisjoint(this.roots);
    }

    /** The uid the agent (and so every file it creates) runs as. */
    public int agentUid() {
        return agentUid;
    }

    /**
     * A target or scratch image the agent is to create: inside the domain's directory and not there yet (libvirt:
     * VIR_ERR_INVALID_ARG "store '%s' for backup of '%s' exists"). Creates the domain's directory (0700) if missing.
     */
    public StorePath checkNewStore(String pathText, String domain, String disk) {
        return checkNewFile(pathText, domain, "store '%s' for backup of '%s'".formatted(pathText, disk));
    }

    /** Any new file of the domain's (a restored image): inside its directory and not there yet; {@code what} names it. */
    public StorePath checkNewFile(String pathText, String domain, String what) {
        StorePath store = locate(pathText, domain, what);
        requireDirectories(store, what);
        if (attributes(store.path()).isPresent()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " exists");
        }
        return store;
    }

    /**
     * A store the caller made (REUSE_EXTERNAL): a regular file, not a symlink, inside the domain's directory and
     * owned by the agent's user, so it can only be a file this host's backups were meant to write.
     */
    public StorePath checkReusedStore(String pathText, String domain, String disk) {
        String what = "store '%s' for backup of '%s'".formatted(pathText, disk);
        StorePath store = locate(pathText, domain, what);
        requireDirectories(store, what);
        return requireOwnRegularFile(store, what, "reuse-external", new CairnException(
                VirErrorCode.VIR_ERR_INVALID_ARG, what + " does not exist (reuse-external)"));
    }

    /**
     * A backup artifact retention is to delete: confined like {@link #checkArtifact}; empty when it is gone already
     * (deleted by an earlier run whose report was lost), which counts as deleted.
     */
    public java.util.Optional<StorePath> checkArtifactToDelete(String pathText, String domain, String disk) {
        String what = "artifact '%s' of disk '%s'".formatted(pathText, disk);
        StorePath artifact = locate(pathText, domain, what);
        requireDirectories(artifact, what);
        if (attributes(artifact.path()).isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(requireOwnRegularFile(artifact, what, "retention", new CairnException(
                VirErrorCode.VIR_ERR_SYSTEM_ERROR, "cannot access " + what + ": No such file or directory")));
    }

    /**
     * A backup artifact the agent is to read or serve (a link of a restore point's chain): a regular file, not a
     * symlink, inside the domain's directory and owned by the agent's user, so a restore can only ever read a file
     * this host's backups wrote, never another domain's or any other host file.
     */
    public StorePath checkArtifact(String pathText, String domain, String disk) {
        String what = "artifact '%s' of disk '%s'".formatted(pathText, disk);
        StorePath artifact = locate(pathText, domain, what);
        requireDirectories(artifact, what);
        // libvirt's words for a chain file it cannot open: "Cannot access storage file '%s'" (a system error).
        return requireOwnRegularFile(artifact, what, "a restore", new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                "cannot access " + what + ": No such file or directory"));
    }

    private StorePath requireOwnRegularFile(StorePath store, String what, String purpose, CairnException missing) {
        Map<String, Object> attributes = attributes(store.path()).orElseThrow(() -> missing);
        if (Boolean.TRUE.equals(attributes.get("isSymbolicLink"))) {
            throw denied(what + " is a symbolic link; %s takes only a regular file in '%s'"
                    .formatted(purpose, store.domainDirectory()));
        }
        if (!Boolean.TRUE.equals(attributes.get("isRegularFile"))) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " is not a regular file");
        }
        if ((Integer) attributes.get("uid") != agentUid) {
            throw denied(what + " is owned by uid %s, not by the agent's user (uid %d)"
                    .formatted(attributes.get("uid"), agentUid));
        }
        return store;
    }

    /**
     * A unix socket QEMU is to listen on. QEMU unlinks whatever the path names before it binds, so only a free path
     * or a socket (an earlier job's) is accepted.
     */
    public StorePath checkSocket(String pathText, String domain) {
        String what = "NBD socket '%s'".formatted(pathText);
        if (pathText == null || pathText.isBlank()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "no NBD socket path for a unix transport");
        }
        StorePath socket = locate(pathText, domain, what);
        requireDirectories(socket, what);
        Optional<Map<String, Object>> existing = attributes(socket.path());
        if (existing.isPresent()) {
            if (Boolean.TRUE.equals(existing.get().get("isSymbolicLink"))) {
                throw denied(what + " is a symbolic link");
            }
            if (((Integer) existing.get().get("mode") & FILE_TYPE_MASK) != SOCKET_TYPE) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " exists and is not a socket");
            }
        }
        return socket;
    }

    /** The configured root, resolved, that holds this absolute path; empty when none does. */
    public Optional<Path> rootOf(Path path) {
        for (Path root : roots) {
            Optional<Path> real = realRoot(root);
            if (real.isPresent() && path.startsWith(real.get())) {
                return real;
            }
        }
        return Optional.empty();
    }

    private StorePath locate(String pathText, String domain, String what) {
        if (pathText == null || pathText.isBlank()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "no path for " + what);
        }
        if (pathText.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " contains a control character");
        }
        requireUsableDomain(domain);
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, what + " is not an absolute path");
        }
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw outside(what, domain);
            }
        }
        for (Path root : roots) {
            Optional<Path> real = realRoot(root);
            if (real.isEmpty()) {
                continue;
            }
            for (Path form : List.of(root, real.get())) {
                if (!path.startsWith(form)) {
                    continue;
                }
                Path below = form.relativize(path);
                if (below.getNameCount() < 2 || !below.getName(0).toString().equals(domain)) {
                    throw outside(what, domain);
                }
                List<String> names = new ArrayList<>();
                below.forEach(name -> names.add(name.toString()));
                return new StorePath(real.get(), domain, names, pathText);
            }
        }
        throw outside(what, domain);
    }

    /**
     * Every directory from the domain's down to the file's must be a real directory (not a symlink), owned by the
     * agent's user and writable by nobody else; the domain's own is created (0700) when missing.
     */
    private void requireDirectories(StorePath store, String what) {
        Path dir = store.root();
        List<String> directories = store.directories();
        for (int i = 0; i < directories.size(); i++) {
            dir = dir.resolve(directories.get(i));
            Optional<Map<String, Object>> attributes = attributes(dir);
            if (attributes.isEmpty() && i == 0) {
                createDomainDirectory(dir);
                attributes = attributes(dir);
            }
            if (attributes.isEmpty()) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                        "directory '%s' of %s does not exist".formatted(dir, what));
            }
            Map<String, Object> found = attributes.get();
            if (Boolean.TRUE.equals(found.get("isSymbolicLink"))) {
                throw denied("'%s' on the way to %s is a symbolic link; paths must stay in '%s', the storage directory"
                        .formatted(dir, what, store.domainDirectory()) + " of domain '" + store.domain() + "'");
            }
            if (!Boolean.TRUE.equals(found.get("isDirectory"))) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                        "'%s' on the way to %s is not a directory".formatted(dir, what));
            }
            if ((Integer) found.get("uid") != agentUid || ((Integer) found.get("mode") & GROUP_OR_OTHER_WRITE) != 0) {
                throw denied("directory '%s' of %s must be owned by the agent's user (uid %d) and writable by no one else"
                        .formatted(dir, what, agentUid));
            }
        }
    }

    private static void createDomainDirectory(Path dir) {
        try {
            // mkdir(2) never follows a symlink at its last component; the parent is the (trusted) root.
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Made meanwhile (another job of the domain is refused, so by the operator): it is checked like any other.
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                    "cannot create the storage directory '%s': %s".formatted(dir, e.getMessage()));
        }
    }

    /** Domain names that can never be one directory of their own are refused (and so is every path of theirs). */
    private static void requireUsableDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.startsWith(".") || domain.contains("/")
                || domain.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // A leading dot also keeps hidden directories of the root (the agent's own state, say) out of reach.
            throw denied("domain '%s' has no storage directory: its name cannot be one directory name".formatted(domain));
        }
    }

    private CairnException outside(String what, String domain) {
        String allowed = roots.stream().map(root -> realRoot(root).orElse(root).resolve(domain).toString())
                .reduce((a, b) -> a + "' or '" + b).orElse("(no storage root configured)");
        return denied("%s is outside '%s', the storage directory of domain '%s'".formatted(what, allowed, domain));
    }

    private static CairnException denied(String message) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED, message);
    }

    /** lstat(2): the entry itself, a symlink not followed; empty if there is none. */
    static Optional<Map<String, Object>> attributes(Path path) {
        try {
            return Optional.of(Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                    "cannot inspect '%s': %s".formatted(path, e.getMessage()));
        }
    }

    private static Optional<Path> realRoot(Path root) {
        try {
            return Optional.of(root.toRealPath());
        } catch (IOException e) {
            // A configured root that does not exist holds nothing.
            return Optional.empty();
        }
    }

    private static void requireDisjoint(List<Path> roots) {
        List<Path> real = roots.stream().map(StoragePolicy::realRoot).flatMap(Optional::stream).toList();
        for (Path a : real) {
            for (Path b : real) {
                if (a != b && !a.equals(b) && a.startsWith(b)) {
                    throw new IllegalArgumentException("storage roots must not nest: '%s' is inside '%s'".formatted(a, b));
                }
            }
        }
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException noProc) {
            // No /proc (a bare chroot): a file the agent creates is owned by its uid.
            try {
                Path probe = Files.createTempFile("cairn-uid-", "");
                try {
                    return (Integer) Files.getAttribute(probe, "unix:uid");
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot tell the agent's uid", e);
            }
        }
    }
}
