package io.cairn.cli.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import org.junit.jupiter.api.Test;

/** How backup-register reads {@code --disk NAME=PATH[:FORMAT]}: a path may hold ':' itself. */
class BackupRegisterTest {

    @Test
    void theFormatIsAKnownSuffixAfterTheLastColonElseQcow2() {
        assertThat(BackupRegister.output("vda=/b/vm/vda.p1.raw:raw").toString())
                .isEqualTo("{\"name\":\"vda\",\"path\":\"/b/vm/vda.p1.raw\",\"format\":\"raw\"}");
        assertThat(BackupRegister.output("vdb=/b/vm/a:b.qcow2").toString())
                .isEqualTo("{\"name\":\"vdb\",\"path\":\"/b/vm/a:b.qcow2\",\"format\":\"qcow2\"}");
        assertThat(BackupRegister.output("vdb=/b/vm/x:qcow2").path("path").asText()).isEqualTo("/b/vm/x");
    }

    @Test
    void aSpecWithoutNameOrPathIsAUsageError() {
        assertThatThrownBy(() -> BackupRegister.output("/b/vm/vda.qcow2")).isInstanceOfSatisfying(CliFailure.class,
                failure -> assertThat(failure.exitCode()).isEqualTo(ExitCodes.USAGE));
        assertThatThrownBy(() -> BackupRegister.output("vda=")).isInstanceOf(CliFailure.class)
                .hasMessageContaining("NAME=PATH[:FORMAT]");
    }
}
