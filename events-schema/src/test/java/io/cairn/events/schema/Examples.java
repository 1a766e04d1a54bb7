package io.cairn.events.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The documented example records, as shipped under {@value #DIR}; the README shows exactly these files. */
final class Examples {
    static final String DIR = "io/cairn/events/examples/";

    private Examples() {
    }

    /** Paths below {@link #DIR}, e.g. {@code command/backup.abort.json}, commands first, each group sorted. */
    static List<String> all() {
        return Stream.of("command", "event").flatMap(Examples::list).toList();
    }

    static String text(String example) {
        try {
            return Files.readString(root().resolve(example));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> list(String group) {
        try (Stream<Path> files = Files.list(root().resolve(group))) {
            return files.map(p -> group + "/" + p.getFileName()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        URL url = Examples.class.getClassLoader().getResource(DIR);
        if (url == null) {
            throw new IllegalStateException(DIR + " is not on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
