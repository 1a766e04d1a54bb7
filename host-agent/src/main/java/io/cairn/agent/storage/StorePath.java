package io.cairn.agent.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * A path a request named, checked to lie in its domain's storage directory and split into the components below the
 * (real) storage root, so the file can be created or deleted by walking them without following any symlink.
 *
 * @param root   the storage root, resolved once (the operator's setting, trusted)
 * @param domain the domain whose directory ({@code root/domain}) holds the path
 * @param below  the components from the root down: the domain, any subdirectories, then the file name
 * @param text   the path as the request spelled it, for messages
 */
public record StorePath(Path root, String domain, List<String> below, String text) {

    public StorePath {
        below = List.copyOf(below);
    }

    /** The absolute path without symlinks from the root down: what QEMU is given. */
    public Path path() {
        Path path = root;
        for (String component : below) {
            path = path.resolve(component);
        }
        return path;
    }

    public Path domainDirectory() {
        return root.resolve(domain);
    }

    /** The directories from the domain's directory down to the file's, as names below the root. */
    public List<String> directories() {
        return below.subList(0, below.size() - 1);
    }

    public String fileName() {
        return below.get(below.size() - 1);
    }
}
