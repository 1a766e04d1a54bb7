package io.cairn.testing.qemu;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real QEMU with virtio-blk disks but no guest (-S, nothing boots), so tests can drive bitmaps,
 * block jobs and NBD over QMP in tens of milliseconds, without KVM and without an OS image.
 */
public final class GuestlessQemu implements AutoCloseable {

    private static final Duration SOCKET_WAIT = Duration.ofSeconds(15);
    private static final long TERM_GRACE_SECONDS = 10;

    private final String domain;
    private final Path workDir;
    private final boolean inDomainDirectory;
    private final Path qmpSocket;
    private final Path logFile;
    private final Map<String, QemuDisk> disks;
    private final Path guestAgentSocket;
    private volatile Process process;
    private volatile long execToSocketNanos;
    private boolean closed;

    private GuestlessQemu(String domain, Path workDir, boolean inDomainDirectory, Map<String, QemuDisk> disks,
            Path guestAgentSocket, Process process, long execToSocketNanos) {
        this.guestAgentSocket = guestAgentSocket;
        this.domain = domain;
        this.workDir = workDir;
        this.inDomainDirectory = inDomainDirectory;
        this.qmpSocket = socketPath(workDir, domain);
        this.logFile = logPath(workDir, domain);
        this.disks = Collections.unmodifiableMap(disks);
        this.process = process;
        this.execToSocketNanos = execToSocketNanos;
    }

    /** Starts building a QEMU whose files live in a fresh directory under {@code baseDir}. */
    public static Builder builder(Path baseDir) {
        return new Builder(baseDir);
    }

    public String domain() {
        return domain;
    }

    public Path qmpSocket() {
        return qmpSocket;
    }

    /**
     * A second QMP monitor for tests to look at QEMU (exports, nodes, bitmaps) and write guest data while an agent
     * holds {@link #qmpSocket()}. Not named {@code *.qmp}, so no agent ever takes it for a domain.
     */
    public Path probeSocket() {
        return probePath(workDir);
    }

    public Path workDir() {
        return workDir;
    }

    /** QEMU's stdout and stderr plus the qemu-img/qemu-io runs made for it. */
    public Path logFile() {
        return logFile;
    }

    public String log() {
        return QemuLog.read(logFile);
    }

    public QemuDisk disk(String deviceId) {
        QemuDisk disk = disks.get(deviceId);
        if (disk == null) {
            throw new IllegalArgumentException("no disk " + deviceId + " in " + disks.keySet());
        }
        return disk;
    }

    public List<QemuDisk> disks() {
        return List.copyOf(disks.values());
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Time from exec to the QMP socket listening, which is when a client may connect. */
    public Duration execToSocket() {
        return Duration.ofNanos(execToSocketNanos);
    }

    /** A path in this QEMU's work directory (copies, expected images, logs); removed by close(). */
    public Path file(String name) {
        return workDir.resolve(name);
    }

    /**
     * The storage root an agent confines this domain's backup files to ({@code <root>/<domain>/}): the directory that
     * holds the work directory when it is the domain's own ({@link Builder#inDomainDirectory()}), else the work
     * directory itself.
     */
    public Path storageRoot() {
        return inDomainDirectory ? workDir.getParent() : workDir;
    }

    /** The domain's storage directory under {@link #storageRoot()}; not created (the agent makes it on first use). */
    public Path storeDirectory() {
        return storageRoot().resolve(domain);
    }

    /** A path in the domain's storage directory, where an agent lets a backup target, scratch or socket be. */
    public Path store(String name) {
        return storeDirectory().resolve(name);
    }

    /** Crash simulation: SIGKILL, so QEMU gets no chance to store persistent bitmaps or reply to anything. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit(TERM_GRACE_SECONDS);
    }

    /** Freezes the process (SIGSTOP): the socket stays open but nothing answers, as with a hung QEMU. */
    public void sigstop() {
        signal("STOP");
    }

    public void sigcont() {
        signal("CONT");
    }

    /**
     * Clean shutdown, keeping the files: SIGTERM, which QEMU handles like quit (persistent bitmaps are
     * written to the qcow2), and SIGKILL if that takes too long.
     */
    public synchronized void stop() {
        if (process.isAlive()) {
            // A SIGSTOPped QEMU would never act on SIGTERM.
            signal("CONT");
            process.destroy();
            if (!waitForExit(TERM_GRACE_SECONDS)) {
                process.destroyForcibly();
                waitForExit(TERM_GRACE_SECONDS);
            }
        }
    }

    /** Starts a new QEMU process on the same images and socket path, e.g. after {@link #kill9()} or {@link #stop()}. */
    public synchronized void restart() {
        if (closed || process.isAlive()) {
            throw new IllegalStateException("restart needs a stopped, not closed, QEMU");
        }
        Launch launch = Launch.start(QemuCommandLine.build(qmpSocket, probePath(workDir), disks.values(),
                guestAgentSocket), qmpSocket, logFile);
        process = launch.process();
        execToSocketNanos = launch.execToSocketNanos();
    }

    /** {@link #stop()}, then removes the work directory with images, socket and log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        deleteRecursively(workDir);
    }

    private boolean waitForExit(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void signal(String name) {
        if (process.isAlive()) {
            ExternalCommand.runOrFail(List.of("kill", "-" + name, Long.toString(process.pid())), logFile);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private static Path socketPath(Path workDir, String domain) {
        return workDir.resolve(domain + ".qmp");
    }

    /** The host side of the guest-agent channel, {@code <domain>.qga} beside the QMP socket (null: none). */
    public Path guestAgentSocket() {
        return guestAgentSocket;
    }

    private static Path guestAgentPath(Path workDir, String domain) {
        return workDir.resolve(domain + ".qga");
    }

    private static Path probePath(Path workDir) {
        return workDir.resolve("probe.sock");
    }

    private static Path logPath(Path workDir, String domain) {
        return workDir.resolve(domain + ".log");
    }

    /** Collects the domain name and disks, then creates the images and starts QEMU. */
    public static final class Builder {

        private final Path baseDir;
        private final List<DiskSpec> diskSpecs = new ArrayList<>();
        private String domain = "vm";
        private boolean inDomainDirectory;
        private boolean guestAgentChannel;
        private String uuid;

        private Builder(Path baseDir) {
            this.baseDir = baseDir;
        }

        public Builder domain(String name) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("domain name must be file-name safe: " + name);
            }
            this.domain = name;
            return this;
        }

        /**
         * The work directory (disks, sockets, log) is {@code <base>/<domain>}, which must not exist yet: with an
         * agent's storage root as base, that is the domain's storage directory, so libvirt's default target names
         * beside the disks lie inside it.
         */
        public Builder inDomainDirectory() {
            this.inDomainDirectory = true;
            return this;
        }

        /**
         * Gives the VM a guest-agent channel whose host side QEMU serves at {@code <domain>.qga} beside the QMP
         * socket (as the host agent looks for it); with no guest, nobody answers on it.
         */
        public Builder guestAgentChannel() {
            this.guestAgentChannel = true;
            return this;
        }

        /** The domain's UUID, given to QEMU as {@code -uuid} (libvirt's {@code <uuid>}); QEMU's is all zeros without. */
        public Builder uuid(String uuid) {
            this.uuid = java.util.UUID.fromString(uuid).toString();
            return this;
        }

        public Builder disk(DiskSpec spec) {
            diskSpecs.add(spec);
            return this;
        }

        public Builder disk(String deviceId, long sizeBytes, PatternWrite... initialWrites) {
            return disk(new DiskSpec(deviceId, sizeBytes, List.of(initialWrites)));
        }

        public GuestlessQemu start() {
            Path workDir = createWorkDir();
            Path log = logPath(workDir, domain);
            Path socket = socketPath(workDir, domain);
            try {
                Map<String, QemuDisk> disks = createDisks(workDir, log);
                Path guestAgent = guestAgentChannel ? guestAgentPath(workDir, domain) : null;
                Launch launch = Launch.start(QemuCommandLine.build(socket, probePath(workDir), disks.values(),
                        guestAgent, uuid), socket, log);
                return new GuestlessQemu(domain, workDir, inDomainDirectory, disks, guestAgent, launch.process(),
                        launch.execToSocketNanos());
            } catch (RuntimeException e) {
                deleteRecursively(workDir);
                throw e;
            }
        }

        private Path createWorkDir() {
            try {
                if (inDomainDirectory) {
                    return Files.createDirectory(Files.createDirectories(baseDir).resolve(domain));
                }
                // A short directory keeps the unix socket path under the 107-byte sun_path limit.
                return Files.createTempDirectory(Files.createDirectories(baseDir), domain + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Map<String, QemuDisk> createDisks(Path workDir, Path log) {
            Map<String, QemuDisk> disks = new LinkedHashMap<>();
            int index = 1;
            for (DiskSpec spec : diskSpecs) {
                Path image = workDir.resolve(spec.deviceId() + ".qcow2");
                QemuImg.createQcow2(image, spec.sizeBytes(), log);
                QemuImg.writePatterns(image, spec.initialWrites(), log);
                // libvirt's -blockdev naming, so node names never equal device ids, as on a real host.
                String prefix = "libvirt-" + index++;
                disks.put(spec.deviceId(), new QemuDisk(spec.deviceId(), image, prefix + "-format",
                        prefix + "-storage", spec.sizeBytes()));
            }
            return disks;
        }

    }

    /** One QEMU process, started and waited for until its QMP socket listens. */
    private record Launch(Process process, long execToSocketNanos) {

        static Launch start(List<String> command, Path socket, Path log) {
            long started = System.nanoTime();
            Process process = exec(command, log);
            try {
                waitForSocket(process, socket, log);
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            return new Launch(process, System.nanoTime() - started);
        }

        private static Process exec(List<String> command, Path log) {
            try {
                Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator(),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                QemuProcessReaper.register(process);
                return process;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command.get(0), e);
            }
        }

        private static void waitForSocket(Process process, Path socket, Path log) {
            // QEMU binds and listens on the QMP socket while it parses the command line, before
            // machine init (wait=off), so a listening socket is the readiness signal.
            await("QMP socket " + socket)
                    .atMost(SOCKET_WAIT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .failFast("QEMU exited early; log:\n" + QemuLog.tail(log), () -> !process.isAlive())
                    .until(() -> UnixSocketListening.isListening(socket));
        }
    }
}
