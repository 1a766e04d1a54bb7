package io.cairn.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier's qemu-img check reads an incremental's own metadata even when its backing file cannot be opened. */
class VerifierCheckTest {

    @Test
    void anIncrementalBackedByAnUnopenablePathChecksCleanAlone(@TempDir Path dir) {
        Path inc = dir.resolve("inc \"1\".qcow2");
        Path missing = Path.of(inc + ".base-not-in-catalog");
        assertThat(Tools.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-F", "qcow2", "-b",
                missing.toString(), inc.toString(), "16M")).ok()).isTrue();

        assertThat(Tools.run(List.of("qemu-img", "check", "-q", inc.toString())).ok())
                .as("plain check opens the backing file").isFalse();
        Tools.Result alone = Tools.run(List.of("qemu-img", "check", "-q", Verifier.withoutBacking(inc)));
        assertThat(alone.ok()).as(alone.output()).isTrue();
    }
}
