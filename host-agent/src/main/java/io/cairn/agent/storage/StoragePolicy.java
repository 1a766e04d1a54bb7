package io.cairn.agent.storage;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides whether a path a request names may be written by this agent: it must resolve (symlinks
 * included) to a place under a configured storage root, so a compromised or buggy service cannot make
 * QEMU overwrite arbitrary host files. Blocking file system calls: call it from a worker thread.
 */
@ApplicationScoped
public class StoragePolicy {

    private final List<Path> roots;

    @Inject
    public StoragePolicy(AgentConfig config) {
        this(config.storageRoots());
    }

    public StoragePolicy(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * Checks a backup target or scratch path and returns its resolved form. Without reuseExternal the file
     * must not exist (libvirt: VIR_ERR_INVALID_ARG "store '%s' for backup of '%s' exists"); with it, it
     * must exist, since a reused store is never created.
     */
    public Path checkStore(String pathText, String disk, boolean reuseExternal) {
        Path resolved = resolveUnderRoots(pathText, disk);
        boolean exists = Files.exists(resolved, LinkOption.NOFOLLOW_LINKS);
        if (exists && !reuseExternal) {
            throw invalid("store '%s' for backup of '%s' exists".formatted(pathText, disk));
        }
        if (!exists && reuseExternal) {
            throw invalid("store '%s' for backup of '%s' does not exist (reuse-external)".formatted(pathText, disk));
        }
        return resolved;
    }

    /** A unix socket path for an NBD server: under a root, its directory existing. */
    public Path checkSocket(String pathText) {
        return resolveUnderRoots(pathText, "nbd-server");
    }

    private Path resolveUnderRoots(String pathText, String disk) {
        if (pathText == null || pathText.isBlank()) {
            throw invalid("no store path for backup of '%s'".formatted(disk));
        }
        Path path = Path.of(pathText);
        if (!path.isAbsolute()) {
            throw invalid("store '%s' for backup of '%s' is not an absolute path".formatted(pathText, disk));
        }
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw invalid("store '%s' for backup of '%s' must not contain '.' or '..'".formatted(pathText, disk));
            }
        }
        Path parent = path.getParent();
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw invalid("directory of store '%s' for backup of '%s' does not exist".formatted(pathText, disk));
        }
        Path resolved = realParent.resolve(path.getFileName());
        // A symlink as the last component could point anywhere: follow it and check where it lands.
        if (Files.isSymbolicLink(resolved)) {
            try {
                resolved = resolved.toRealPath();
            } catch (IOException e) {
                throw invalid("store '%s' for backup of '%s' is a dangling symlink".formatted(pathText, disk));
            }
        }
        if (!underSomeRoot(resolved)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                    "store '%s' for backup of '%s' is outside the storage roots of this host".formatted(pathText, disk));
        }
        return resolved;
    }

    private boolean underSomeRoot(Path resolved) {
        for (Path root : roots) {
            try {
                Path realRoot = root.toRealPath();
                if (resolved.startsWith(realRoot) && !resolved.equals(realRoot)) {
                    return true;
                }
            } catch (IOException e) {
                // A configured root that does not exist holds nothing.
            }
        }
        return false;
    }

    private static CairnException invalid(String message) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, message);
    }
}
