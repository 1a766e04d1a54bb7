package io.cairn.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {
    @TempDir
    Path home;

    private Path write(Path file, String text, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private Path defaultFile() {
        return home.resolve(".config/cairn/cli.properties");
    }

    @Test
    void withNothingConfiguredTheLocalStackIsTheDefaultAndThereIsNoToken() {
        CliConfig config = CliConfig.load(Map.of(), null, home);
        assertThat(config.checkpointUrl()).isEqualTo("http://127.0.0.1:18081");
        assertThat(config.backupUrl()).isEqualTo("http://127.0.0.1:18082");
        assertThat(config.token()).isNull();
        assertThatThrownBy(config::requireToken).isInstanceOfSatisfying(CliFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo("VIR_ERR_AUTH_FAILED");
            assertThat(failure.exitCode()).isEqualTo(ExitCodes.UNREACHABLE_OR_AUTH);
        });
    }

    @Test
    void theDefaultFileIsReadAndTheEnvironmentWinsOverIt() throws IOException {
        write(defaultFile(), "token=file-token\ncheckpoint-url=http://cp.example:1/\nbackup-url=http://bk.example:2\n",
                "rw-------");
        CliConfig fromFile = CliConfig.load(Map.of(), null, home);
        assertThat(fromFile).isEqualTo(new CliConfig("file-token", "http://cp.example:1", "http://bk.example:2"));

        CliConfig fromEnv = CliConfig.load(Map.of("CAIRN_TOKEN", "env-token", "CAIRN_BACKUP_URL",
                "http://env.example:3"), null, home);
        assertThat(fromEnv).isEqualTo(new CliConfig("env-token", "http://cp.example:1", "http://env.example:3"));
    }

    @Test
    void aTokenFileIsReadRelativeToTheConfigFile() throws IOException {
        Path config = write(home.resolve("conf/cli.properties"), "token-file=secret/token\n", "rw-r--r--");
        write(home.resolve("conf/secret/token"), "tok-123\n", "r--------");
        assertThat(CliConfig.load(Map.of(), config, home).token()).isEqualTo("tok-123");
    }

    @Test
    void aConfigFileWithATokenThatOthersCanReadIsRefusedWithTheReason() throws IOException {
        Path config = write(home.resolve("cli.properties"), "token=abc\n", "rw-r--r--");
        assertThatThrownBy(() -> CliConfig.load(Map.of(), config, home))
                .isInstanceOfSatisfying(CliFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCodes.UNREACHABLE_OR_AUTH);
                    assertThat(failure.getMessage()).contains("holds a token but is readable by others",
                            "rw-r--r--", "chmod 600");
                });
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedToo() throws IOException {
        Path config = write(home.resolve("cli.properties"), "token-file=" + home.resolve("t") + "\n", "rw-------");
        write(home.resolve("t"), "abc", "rw-r-----");
        assertThatThrownBy(() -> CliConfig.load(Map.of(), config, home)).isInstanceOf(CliFailure.class)
                .hasMessageContaining("token file").hasMessageContaining("readable by others");
    }

    @Test
    void aConfigFileWithoutATokenMayBeReadableByOthers() throws IOException {
        Path config = write(home.resolve("cli.properties"), "backup-url=http://b:1\n", "rw-r--r--");
        assertThat(CliConfig.load(Map.of("CAIRN_TOKEN", "t"), config, home).backupUrl()).isEqualTo("http://b:1");
    }

    @Test
    void anExplicitConfigFileMustExist() {
        assertThatThrownBy(() -> CliConfig.load(Map.of(), home.resolve("missing.properties"), home))
                .isInstanceOf(CliFailure.class).hasMessageContaining("does not exist");
    }
}
