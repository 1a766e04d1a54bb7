package io.cairn.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.io.TeeOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fault soak in the normal suite, short: about 3 minutes of the mixed workload against the real system (packaged
 * services, two agents, six guest-less QEMUs, a private broker and database) with a fault every ~20 s (none in the
 * last minute), then settle and every invariant checked. Its table is printed into the build log; any violation fails the build.
 * {@code -Dcairn.soak.minutes=N} makes it longer.
 */
class SoakIT {

    @Test
    void aShortSoakWithFaultsViolatesNoInvariant() {
        String minutes = System.getProperty("cairn.soak.minutes", "3");
        Path output = Path.of("target", "soak").toAbsolutePath();
        SoakSettings settings = SoakSettings.parse(new String[] {"--minutes", minutes, "--settle-minutes", "8",
                "--output", output.toString()}, output);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = new Soak(settings, new PrintStream(new TeeOutputStream(captured, System.out), true,
                StandardCharsets.UTF_8))
                .run();
        String printed = captured.toString(StandardCharsets.UTF_8);

        assertThat(printed).as("the soak's output").contains("INVARIANTS").contains("FAULTS INJECTED");
        assertThat(exit).as("the soak's exit code (0: no violation); its table:%n%s", tableOf(printed)).isZero();
        assertThat(printed).contains("RESULT: PASS, 0 violations");
    }

    private static String tableOf(String printed) {
        int at = printed.indexOf("CAIRN FAULT SOAK");
        return at < 0 ? printed.substring(Math.max(0, printed.length() - 6000)) : printed.substring(at);
    }
}
