package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore benchmark's short version in the normal suite (64 MiB, one run, a few seconds): every image it makes,
 * Cairn's and qemu-img's, equals the chain. It asserts no timing.
 */
class RestoreBenchmarkShortTest {

    @Test
    void everyImageOfTheBenchmarkEqualsTheChain(@TempDir Path dir) throws Exception {
        String table = new RestoreBenchmarkTest().run(dir, 64, 1);
        assertThat(table).contains("cairn copy qcow2", "cairn copy raw", "cairn thin", "qemu-img convert -O raw");
    }
}
