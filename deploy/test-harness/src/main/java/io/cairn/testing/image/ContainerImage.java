package io.cairn.testing.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A container image pulled from a registry and unpacked to a root filesystem (skopeo + umoci, no container engine),
 * with what its configuration says a runtime must do: the command, environment, working directory and user.
 */
public final class ContainerImage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String reference;
    private final Path workDir;
    private final List<String> command;
    private final Map<String, String> environment;
    private final String workingDir;
    private final int uid;

    private ContainerImage(String reference, Path workDir, JsonNode runtimeSpec) {
        this.reference = reference;
        this.workDir = workDir;
        JsonNode process = runtimeSpec.path("process");
        List<String> args = new ArrayList<>();
        process.path("args").forEach(a -> args.add(a.asText()));
        this.command = List.copyOf(args);
        Map<String, String> env = new LinkedHashMap<>();
        process.path("env").forEach(e -> {
            String entry = e.asText();
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        });
        this.environment = Map.copyOf(env);
        this.workingDir = process.path("cwd").asText("/");
        this.uid = process.path("user").path("uid").asInt();
    }

    /**
     * Pulls {@code registry/repository:tag} over plain HTTP (the local registry) and unpacks it.
     *
     * @param registry e.g. {@code 127.0.0.1:15000}
     */
    public static ContainerImage pull(String registry, String repositoryAndTag) {
        String reference = registry + "/" + repositoryAndTag;
        try {
            Path workDir = Files.createTempDirectory(Path.of("/tmp"), "cairn-image-");
            Path log = workDir.resolve("pull.log");
            String tag = repositoryAndTag.substring(repositoryAndTag.lastIndexOf(':') + 1);
            run(log, "skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + reference,
                    "oci:" + workDir.resolve("oci") + ":" + tag);
            run(log, "umoci", "unpack", "--image", workDir.resolve("oci") + ":" + tag,
                    workDir.resolve("bundle").toString());
            JsonNode spec = JSON.readTree(workDir.resolve("bundle/config.json").toFile());
            return new ContainerImage(reference, workDir, spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pull " + reference, e);
        }
    }

    public String reference() {
        return reference;
    }

    public Path rootfs() {
        return workDir.resolve("bundle/rootfs");
    }

    /** Entrypoint followed by cmd, as the image's configuration has them. */
    public List<String> command() {
        return command;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public String workingDir() {
        return workingDir;
    }

    /** The user the image runs as when the pod does not say otherwise. */
    public int uid() {
        return uid;
    }

    static void run(Path log, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + " from " + String.join(" ", command)
                        + ":\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // /tmp is cleaned by the system eventually
        }
    }
}
