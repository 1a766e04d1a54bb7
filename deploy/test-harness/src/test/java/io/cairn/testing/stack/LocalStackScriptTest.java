package io.cairn.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad environment stops deploy/local/cairn with a message that names the problem and the way out. */
class LocalStackScriptTest {
    @TempDir
    Path state;

    @Test
    void aTakenKafkaPortIsNamedWithTheVariableThatMovesIt() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            Result result = cairn(Map.of("CAIRN_KAFKA_PORT", String.valueOf(port)), "stack", "up");

            assertThat(result.exitCode).isNotZero();
            assertThat(result.output)
                    .contains("port " + port + " needed by the Kafka broker is taken")
                    .contains("CAIRN_KAFKA_PORT");
        }
        assertThat(state.resolve("run/kafka.pid")).doesNotExist();
    }

    @Test
    void tooLittleFreeDiskIsRefusedBeforeAnythingStarts() throws Exception {
        Result result = cairn(Map.of("CAIRN_MIN_FREE_MB", "999999999"), "stack", "up");

        assertThat(result.exitCode).isNotZero();
        assertThat(result.output).contains("MiB free under " + state).contains("CAIRN_STATE_DIR");
        assertThat(state.resolve("kafka")).doesNotExist();
    }

    @Test
    void aDemoVmNameThatWouldEscapeItsDirectoryIsRefused() throws Exception {
        Result result = cairn(Map.of(), "vm", "start", "../escape");

        assertThat(result.exitCode).isNotZero();
        assertThat(result.output).contains("invalid domain name '../escape'");
        assertThat(state.resolveSibling("escape")).doesNotExist();
    }

    @Test
    void anUnknownCommandPrintsUsage() throws Exception {
        Result result = cairn(Map.of(), "frobnicate");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("usage: deploy/local/cairn COMMAND");
    }

    private Result cairn(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = ProjectRoot.find();
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("deploy/local/cairn").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CAIRN_STATE_DIR", state.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("cairn finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
