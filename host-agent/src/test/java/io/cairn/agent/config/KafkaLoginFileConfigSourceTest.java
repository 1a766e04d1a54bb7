package io.cairn.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's login file becomes kafka.sasl.jaas.config, and a login that cannot be had stops the start. */
class KafkaLoginFileConfigSourceTest {
    private static final String LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"cairn-agent-hv1\" password=\"s3cret\";";

    @TempDir
    Path dir;

    @Test
    void theFilesLoginIsKafkasJaasConfigBetweenEnvironmentAndApplicationProperties() throws Exception {
        Path file = Files.writeString(dir.resolve("sasl.jaas.config"), LOGIN + "\n");

        KafkaLoginFileConfigSource source = source(file.toString());

        assertThat(source.getValue("kafka.sasl.jaas.config")).isEqualTo(LOGIN);
        assertThat(source.getPropertyNames()).containsExactly("kafka.sasl.jaas.config");
        assertThat(source.getValue("kafka.bootstrap.servers")).isNull();
        assertThat(source.getOrdinal()).isGreaterThan(250).isLessThan(300);
        assertThat(source.getName()).contains(file.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutTheVariableItProvidesNothing() {
        for (Map<String, String> environment : java.util.List.of(Map.<String, String>of(),
                Map.of(KafkaLoginFileConfigSource.FILE_VARIABLE, " "))) {
            KafkaLoginFileConfigSource source = new KafkaLoginFileConfigSource(environment);
            assertThat(source.getPropertyNames()).isEmpty();
            assertThat(source.getValue("kafka.sasl.jaas.config")).isNull();
        }
    }

    @Test
    void aMissingFileStopsTheStartAndSaysWhatToPutThere() {
        Path missing = dir.resolve("absent/sasl.jaas.config");

        assertThatThrownBy(() -> source(missing.toString())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CAIRN_KAFKA_JAAS_FILE").hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist").hasMessageContaining("cairn-agent-<node>");
    }

    @Test
    void anUnreadableFileStopsTheStart() {
        // A directory where the file should be: unreadable as a file even for root, who ignores permission bits.
        assertThatThrownBy(() -> source(dir.toString())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("cannot be read");
    }

    @Test
    void anEmptyFileOrABarePasswordStopsTheStartWithoutShowingIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");

        assertThatThrownBy(() -> source(empty.toString())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> source(password.toString())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no JAAS login").hasMessageNotContaining("s3cret");
    }

    @Test
    void isRegisteredForTheServiceLoader() {
        // The test JVM has no CAIRN_KAFKA_JAAS_FILE (or a real one): either way the loader can make it.
        assertThat(ServiceLoader.load(ConfigSource.class).stream().map(ServiceLoader.Provider::type))
                .contains(KafkaLoginFileConfigSource.class);
    }

    private static KafkaLoginFileConfigSource source(String file) {
        return new KafkaLoginFileConfigSource(Map.of(KafkaLoginFileConfigSource.FILE_VARIABLE, file));
    }
}
