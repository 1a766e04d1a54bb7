package io.cairn.deploy.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and this module's manifests are, so tests read the real files and nothing else. */
final class Project {

    private Project() {
    }

    static Path root() {
        String configured = System.getProperty("cairn.project.root");
        Path root = configured != null ? Path.of(configured) : Path.of("../..");
        if (!Files.isRegularFile(root.resolve("events-schema/src/main/resources/io/cairn/events/topics.json"))) {
            throw new IllegalStateException("not the Cairn repository: " + root.toAbsolutePath());
        }
        return root.toAbsolutePath().normalize();
    }

    static Path manifests() {
        return root().resolve("deploy/kubernetes");
    }

    static Path overlay(String name) {
        return manifests().resolve("overlays").resolve(name);
    }

    static String version() {
        return System.getProperty("cairn.project.version", "0.1.0-SNAPSHOT");
    }
}
