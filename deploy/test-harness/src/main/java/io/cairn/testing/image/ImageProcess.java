package io.cairn.testing.image;

import io.cairn.testing.service.QuarkusProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a container image the way the manifests' pod spec does, without a container engine: in a private mount
 * namespace (so every mount goes with the process), on a read-only root filesystem with a tmpfs on /tmp, as the pod's
 * user and group (a non-root user has no capabilities), with host directories mounted at their own paths (hostPath),
 * read-only where the pod mounts them so, and the environment the pod sets. The host's network namespace stands in
 * for the pod's.
 */
public final class ImageProcess implements AutoCloseable {
    private final ContainerImage image;
    private final Process process;
    private final Path log;
    private final int port;

    private ImageProcess(ContainerImage image, Process process, Path log, int port) {
        this.image = image;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the image's own command and waits for {@code /q/health/ready}.
     *
     * @param runAsUser   the pod's runAsUser and runAsGroup
     * @param hostPaths   host directories the pod mounts (same path inside)
     * @param environment the container's environment on top of the image's
     * @param port        the HTTP port the service listens on
     */
    public static ImageProcess start(ContainerImage image, int runAsUser, List<Path> hostPaths,
            Map<String, String> environment, int port, Duration readyTimeout) {
        return start(image, runAsUser, hostPaths, Set.of(), environment, port, readyTimeout);
    }

    /**
     * As {@link #start(ContainerImage, int, List, Map, int, Duration)}, with some host directories mounted read-only
     * (a volumeMount's {@code readOnly: true}).
     *
     * @param readOnly those of {@code hostPaths} the process may only read
     */
    public static ImageProcess start(ContainerImage image, int runAsUser, List<Path> hostPaths, Set<Path> readOnly,
            Map<String, String> environment, int port, Duration readyTimeout) {
        if (!hostPaths.containsAll(readOnly)) {
            throw new IllegalArgumentException("read-only paths " + readOnly + " are not all among " + hostPaths);
        }
        Path rootfs = image.rootfs();
        try {
            Path log = Files.createTempFile(Path.of("/tmp"), "cairn-image-run-", ".log");
            StringBuilder script = new StringBuilder("set -e\n");
            for (Path hostPath : hostPaths) {
                // Mount points must exist before the root goes read-only, as a runtime creates them.
                Files.createDirectories(rootfs.resolve(relative(hostPath)));
            }
            script.append("mount --bind \"$ROOT\" \"$ROOT\"\n")
                    .append("mount -o remount,bind,ro \"$ROOT\"\n")
                    .append("mount -t proc proc \"$ROOT/proc\"\n")
                    .append("mount -t tmpfs -o size=64m,mode=1777 tmp \"$ROOT/tmp\"\n");
            for (Path hostPath : hostPaths) {
                // Again after the tmpfs: a hostPath under /tmp needs its mount point on the tmpfs.
                script.append("mkdir -p \"$ROOT/").append(relative(hostPath)).append("\"\n");
                script.append("mount --bind '").append(hostPath).append("' \"$ROOT/")
                        .append(relative(hostPath)).append("\"\n");
                if (readOnly.contains(hostPath)) {
                    // A bind mount takes 'ro' only on a remount, as container runtimes do it.
                    script.append("mount -o remount,bind,ro \"$ROOT/").append(relative(hostPath)).append("\"\n");
                }
            }
            Map<String, String> env = new LinkedHashMap<>(image.environment());
            env.putAll(environment);
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                    "sh", "-c", script + "cd \"$ROOT\"\nexec chroot --userspec=" + runAsUser + ":" + runAsUser
                            + " --groups=" + runAsUser + " \"$ROOT\" /usr/bin/env -i \"$@\"",
                    "image-run"));
            env.forEach((key, value) -> command.add(key + "=" + value));
            // The working directory, then the image's command: a shell inside the image changes into it.
            command.addAll(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", image.workingDir()));
            command.addAll(image.command());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ROOT", rootfs.toString());
            ImageProcess running = new ImageProcess(image, builder.start(), log, port);
            QuarkusProcesses.awaitReady(running.process, port, readyTimeout, image.reference(), running::log);
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + image.reference(), e);
        }
    }

    private static String relative(Path hostPath) {
        if (!hostPath.isAbsolute()) {
            throw new IllegalArgumentException("a hostPath must be absolute: " + hostPath);
        }
        return hostPath.toString().substring(1);
    }

    public ContainerImage image() {
        return image;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        return QuarkusProcesses.readLog(log);
    }

    @Override
    public void close() {
        QuarkusProcesses.stop(process);
    }
}
