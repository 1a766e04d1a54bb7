package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
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
}
