package io.cairn.testing.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project root from any module's test JVM, so tests can reach deploy/local and ../shared. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("cairn.project.root");
        if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Cairn project root (a pom.xml of cairn-parent) above "
                + Path.of("").toAbsolutePath());
    }

    /** The shared reference material beside the project root ({@code ../shared}). */
    public static Path shared() {
        return find().resolveSibling("shared");
    }

    private static boolean isRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        try {
            return Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>cairn-parent</artifactId>")
                    && Files.isDirectory(dir.resolve("deploy/local"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
