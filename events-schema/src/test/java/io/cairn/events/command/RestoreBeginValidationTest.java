package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** restore.begin's shape checks: what is refused before any catalog or host is asked. */
class RestoreBeginValidationTest {

    private static RestoreBeginCommand with(RestoreMode mode, RestoreTarget... disks) {
        return new RestoreBeginCommand("cmd-1", "vm-1", "cp-1", mode, List.of(disks));
    }

    @Test
    void acceptsEveryDiskByDefaultAndNamedTargets() {
        assertThatCode(() -> with(null).validate()).doesNotThrowAnyException();
        assertThatCode(() -> with(RestoreMode.COPY, new RestoreTarget("vda", "/b/vm-1/vda.raw", "raw"),
                new RestoreTarget("vdb", null, null)).validate()).doesNotThrowAnyException();
    }

    @Test
    void refusesABadCheckpointName() {
        assertThatThrownBy(() -> new RestoreBeginCommand("cmd-1", "vm-1", "../x", null, null).validate())
                .isInstanceOf(CairnException.class).hasMessageContaining("checkpoint '../x'");
        assertThatThrownBy(() -> new RestoreBeginCommand("cmd-1", "vm-1", null, null, null).validate())
                .isInstanceOf(CairnException.class).hasMessageContaining("checkpoint");
    }

    @Test
    void refusesRelativePathsUnknownFormatsDuplicatesAndRawThinImages() {
        assertThatThrownBy(() -> with(null, new RestoreTarget("vda", "vda.qcow2", null)).validate())
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> with(null, new RestoreTarget("vda", null, "vmdk")).validate())
                .hasMessageContaining("must be qcow2 or raw");
        assertThatThrownBy(() -> with(null, new RestoreTarget("vda", null, null), new RestoreTarget("vda", null, null))
                .validate()).hasMessageContaining("named twice");
        assertThatThrownBy(() -> with(RestoreMode.THIN, new RestoreTarget("vda", null, "raw")).validate())
                .hasMessageContaining("cannot be raw");
        assertThatThrownBy(() -> with(null, new RestoreTarget(" ", null, null)).validate())
                .hasMessageContaining("needs a name");
    }

    @Test
    void refusesTheModesOtherCommandsRunAs() {
        assertThatThrownBy(() -> with(RestoreMode.VERIFY).validate()).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG)).hasMessageContaining(
                        "backup.verify's");
        assertThatThrownBy(() -> with(RestoreMode.REGISTER).validate()).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG)).hasMessageContaining(
                        "backup.register's");
    }

    @Test
    void anExportTakesDiskNamesAndABoundedTtlOnly() {
        RestoreBeginCommand export = new RestoreBeginCommand("cmd-1", "vm-1", "cp-1", RestoreMode.EXPORT,
                List.of(new RestoreTarget("vda", null, null)), "PT8H");
        assertThatCode(export::validate).doesNotThrowAnyException();
        assertThat(export.effectiveTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(with(RestoreMode.EXPORT).effectiveTtl()).isEqualTo(RestoreBeginCommand.DEFAULT_EXPORT_TTL);
        for (String bad : List.of("8h", "PT0S", "-PT1H", "P8D")) {
            assertThatThrownBy(() -> new RestoreBeginCommand("cmd-1", "vm-1", "cp-1", RestoreMode.EXPORT, null, bad)
                    .validate()).as(bad).isInstanceOf(CairnException.class).hasMessageContaining("ttl '" + bad + "'")
                    .extracting(e -> ((CairnException) e).code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        }
        assertThatThrownBy(() -> new RestoreBeginCommand("cmd-1", "vm-1", "cp-1", RestoreMode.COPY, null, "PT1H")
                .validate()).hasMessageContaining("ttl is for mode 'export' only");
        assertThatThrownBy(() -> with(RestoreMode.EXPORT, new RestoreTarget("vda", "/b/vm-1/vda.qcow2", null))
                .validate()).hasMessageContaining("an export writes nothing");
    }

    @Test
    void restoreEndNeedsARestoreId() {
        assertThatCode(() -> new RestoreEndCommand("cmd-2", "vm-1", "3c9e2a71-5f0d").validate())
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new RestoreEndCommand("cmd-2", "vm-1", "../x").validate())
                .hasMessageContaining("restoreId '../x'");
        assertThatThrownBy(() -> new RestoreEndCommand("cmd-2", "vm-1", null).validate())
                .hasMessageContaining("restoreId");
    }
}
