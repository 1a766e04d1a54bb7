package io.cairn.events.xml;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds libvirt's xml2xml test data where the project shares it ({@code ../shared/conformance/libvirt-xml}
 * next to the project root) and reads it in place; a missing directory fails the tests, never skips them.
 */
final class ConformanceData {

    static final String RELATIVE_TO_PROJECT_ROOT = "../shared/conformance/libvirt-xml";

    private ConformanceData() {
    }

    static Path directory() {
        Path projectRoot = projectRoot();
        Path data = projectRoot.resolve(RELATIVE_TO_PROJECT_ROOT).normalize();
        if (!Files.isDirectory(data)) {
            fail("libvirt XML conformance data is missing: expected " + data + " (" + RELATIVE_TO_PROJECT_ROOT
                    + " from project root " + projectRoot + "). The shared tree must be present for these tests.");
        }
        return data;
    }

    static Path file(String subdirectory, String caseName) {
        Path file = directory().resolve(subdirectory).resolve(caseName + ".xml");
        if (!Files.isRegularFile(file)) {
            fail("libvirt XML conformance file is missing: " + file);
        }
        return file;
    }

    static String read(String subdirectory, String caseName) {
        try {
            return Files.readString(file(subdirectory, caseName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Case names (file names without .xml) of one data directory, sorted. */
    static List<String> caseNames(String subdirectory) {
        Path dir = directory().resolve(subdirectory);
        if (!Files.isDirectory(dir)) {
            fail("libvirt XML conformance directory is missing: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".xml"))
                    .map(name -> name.substring(0, name.length() - ".xml".length()))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                fail("libvirt XML conformance directory has no cases: " + dir);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The root of the Maven project: surefire's {@code cairn.project.root} if it points at (or into) it,
     * otherwise the nearest directory above user.dir whose pom.xml is cairn-parent.
     */
    static Path projectRoot() {
        String configured = System.getProperty("cairn.project.root");
        Path start = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.dir"))
                : Path.of(configured);
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isParentPomDirectory(dir)) {
                return dir;
            }
        }
        return fail("cannot find the Cairn project root (pom.xml with artifactId cairn-parent) above " + start);
    }

    private static boolean isParentPomDirectory(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            String text = Files.readString(pom, StandardCharsets.UTF_8);
            // Module POMs name cairn-parent inside <parent>; only the root POM has no <parent>.
            return text.contains("<artifactId>cairn-parent</artifactId>") && !text.contains("<parent>");
        } catch (IOException e) {
            return false;
        }
    }
}
