package io.cairn.deploy.kubernetes;

import io.cairn.events.topic.TopicCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The topic catalogue as it is in this source tree (not a jar's copy), read by events-schema's own reader. */
final class Catalogue {

    private Catalogue() {
    }

    static TopicCatalogue load() {
        try (InputStream in = Files.newInputStream(Project.root().resolve(
                "events-schema/src/main/resources/" + TopicCatalogue.RESOURCE))) {
            return TopicCatalogue.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
