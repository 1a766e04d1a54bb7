package io.cairn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged CLI as a user would ({@code java -jar quarkus-run.jar}), with a given environment. */
final class CliRunner {
    private final Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private final Map<String, String> baseEnv;
    private final Path home;

    CliRunner(Map<String, String> baseEnv, Path home) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the cli module first");
        }
        this.baseEnv = Map.copyOf(baseEnv);
        this.home = home;
    }

    /** One run's result. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** Runs with {@code token} as CAIRN_TOKEN (null: none). */
    Result run(String token, String... args) {
        return run(token == null ? Map.of() : Map.of("CAIRN_TOKEN", token), args);
    }

    Result run(Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Duser.home=" + home, "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("cairn-cli-", ".out");
            Path err = Files.createTempFile("cairn-cli-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                            .toFile()));
            builder.environment().remove("CAIRN_TOKEN");
            builder.environment().remove("CAIRN_CHECKPOINT_URL");
            builder.environment().remove("CAIRN_BACKUP_URL");
            builder.environment().putAll(baseEnv);
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("cairn " + String.join(" ", args) + " did not end in 3 minutes");
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
