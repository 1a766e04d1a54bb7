package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.stack.PrivateStack;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The real system the soak runs against, all on 127.0.0.1 and all its own: a private Kafka broker and PostgreSQL
 * (other ports than the shared stack's, since the soak restarts them), the two packaged services, two host agents
 * and guest-less QEMUs with their disks beside the agents' storage roots; each VM's targets, scratch files and NBD
 * sockets are in its domain's directory, {@code <storage-root>/<domain>/}, the only place its agent accepts them.
 * Agent B's whole storage root is a small tmpfs, so the soak can fill it (ENOSPC) and free it again. {@link #close()} stops all of it, also on failure.
 */
final class Fleet implements AutoCloseable {
    static final String CHECKPOINT_DB = "cairn_checkpoint";
    static final String BACKUP_DB = "cairn_backup";
    private static final long MIB = 1L << 20;

    private final SoakSettings settings;
    private final Path runDir;
    private final Consumer<String> say;
    private PrivateStack stack;
    private SoakService checkpointService;
    private SoakService backupService;
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    private final List<SoakVm> vms = new ArrayList<>();
    private Path smallStorage;
    private boolean mounted;
    private String storageNote = "";
    private boolean closed;

    Fleet(SoakSettings settings, Path runDir, Consumer<String> say) {
        this.settings = settings;
        this.runDir = runDir;
        this.say = say;
    }

    void start() throws Exception {
        Files.createDirectories(runDir.resolve("logs"));
        say.accept("starting a private Kafka broker and PostgreSQL (their own ports and directories)");
        stack = PrivateStack.start(CHECKPOINT_DB, BACKUP_DB);
        say.accept("  broker " + stack.kafka().bootstrap() + ", PostgreSQL 127.0.0.1:" + stack.postgres().port());
        say.accept("starting two host agents (job speed " + (settings.jobSpeed() / MIB) + " MiB/s per disk), "
                + "checkpoint-service and backup-service (packaged jars)");
        String speed = "-Dcairn.agent.job-speed=" + settings.jobSpeed();
        CompletableFuture<AgentProcess> a = CompletableFuture.supplyAsync(() ->
                AgentProcess.start(stack.kafka().bootstrap(), speed));
        CompletableFuture<AgentProcess> b = CompletableFuture.supplyAsync(() ->
                AgentProcess.start(stack.kafka().bootstrap(), speed));
        checkpointService = new SoakService("checkpoint-service", CHECKPOINT_DB, stack.addresses(),
                runDir.resolve("logs"), List.of());
        backupService = new SoakService("backup-service", BACKUP_DB, stack.addresses(), runDir.resolve("logs"),
                List.of());
        CompletableFuture<Void> services = CompletableFuture.runAsync(checkpointService::start)
                .thenRun(backupService::start);
        try {
            agents.put("agent-a", a.join());
        } finally {
            agents.put("agent-b", b.join());
        }
        services.join();
        mountSmallStorage();
        for (Map.Entry<String, AgentProcess> entry : agents.entrySet()) {
            String letter = entry.getKey().substring("agent-".length());
            for (int i = 1; i <= settings.vmsPerAgent(); i++) {
                vms.add(startVm("soak-" + letter + i, entry.getKey(), entry.getValue(), i));
            }
        }
        say.accept("  " + vms.size() + " VMs: " + vms.stream().map(vm -> vm.domain() + "@" + vm.agentName() + " "
                + vm.disks().stream().map(d -> d.deviceId() + ":" + d.sizeBytes() / MIB + "MiB").toList()).toList());
        awaitFleetVisible();
    }

    private SoakVm startVm(String domain, String agentName, AgentProcess agent, int index) {
        // Disks beside the storage root, not in it: agent B's root is the tmpfs the soak fills.
        GuestlessQemu.Builder builder = GuestlessQemu.builder(agent.storageDir().resolveSibling("vms"))
                .domain(domain);
        List<GuestModel.Write> initial = new ArrayList<>();
        PatternWrite first = new PatternWrite(0x10 + index, 0, 4 * MIB);
        PatternWrite second = new PatternWrite(0x20 + index, 12 * MIB, 2 * MIB);
        if (index == 1) {
            // One VM per agent with two disks: multi-disk jobs, where one disk can fail while the other completes.
            PatternWrite third = new PatternWrite(0x30 + index, MIB, 3 * MIB);
            builder.disk("vda", 48 * MIB, first, second).disk("vdb", 16 * MIB, third);
            initial.add(new GuestModel.Write(0, "vda", first));
            initial.add(new GuestModel.Write(1, "vda", second));
            initial.add(new GuestModel.Write(2, "vdb", third));
        } else {
            builder.disk("vda", 32 * MIB, first, second);
            initial.add(new GuestModel.Write(0, "vda", first));
            initial.add(new GuestModel.Write(1, "vda", second));
        }
        GuestlessQemu qemu = builder.start();
        agent.adopt(domain, qemu.qmpSocket());
        return new SoakVm(qemu, agentName, agent, agent.storageDir().resolve(domain), initial);
    }

    /** Agent B's storage root as a small tmpfs (root only; otherwise the storage fault is skipped and said so). */
    private void mountSmallStorage() throws IOException {
        AgentProcess b = agents.get("agent-b");
        smallStorage = b.storageDir();
        Files.createDirectories(smallStorage);
        if (!"root".equals(System.getProperty("user.name"))) {
            storageNote = "not root: no tmpfs, the storage-full fault is skipped";
            return;
        }
        // Owner-only, as the agent wants every directory on the way to a store (a tmpfs would be 1777).
        Tools.Result mount = Tools.run(List.of("mount", "-t", "tmpfs", "-o", "size=256m,mode=0700", "tmpfs",
                smallStorage.toString()), 30);
        if (!mount.ok()) {
            storageNote = "tmpfs mount failed (" + mount.output().strip() + "): the storage-full fault is skipped";
            return;
        }
        mounted = true;
        say.accept("  agent-b's storage root is a 256 MiB tmpfs: " + smallStorage);
    }

    private void awaitFleetVisible() {
        Rest rest = new Rest();
        Set<String> wanted = new HashSet<>(vms.stream().map(SoakVm::domain).toList());
        Set<String> seen = new HashSet<>();
        boolean visible = Tools.until(Duration.ofMinutes(3), Duration.ofSeconds(1), () -> {
            seen.clear();
            JsonNode hosts = rest.json(backupService.url() + "/api/v1/hosts");
            if (hosts != null) {
                hosts.forEach(host -> host.path("domains").forEach(d -> seen.add(d.path("name").asText())));
            }
            return seen.containsAll(wanted);
        });
        if (!visible) {
            throw new IllegalStateException("the fleet never showed every VM: seen " + seen + ", wanted " + wanted);
        }
        say.accept("  backup-service sees every VM on its host (GET /api/v1/hosts)");
    }

    boolean canFillStorage() {
        return mounted;
    }

    String storageNote() {
        return storageNote;
    }

    Path smallStorage() {
        return smallStorage;
    }

    /** Fills agent B's backup filesystem to the last byte; returns how much it wrote. */
    long fillStorage() throws IOException {
        Path fill = smallStorage.resolve("soak-fill");
        long written = 0;
        ByteBuffer chunk = ByteBuffer.allocate((int) MIB);
        try (FileChannel out = FileChannel.open(fill, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                chunk.clear();
                written += out.write(chunk);
            }
        } catch (IOException full) {
            // ENOSPC: the filesystem is full, as wanted. Fill the last partial chunk too, byte by byte is too slow.
            try (OutputStream rest = Files.newOutputStream(fill, StandardOpenOption.APPEND)) {
                byte[] small = new byte[4096];
                while (true) {
                    rest.write(small);
                    written += small.length;
                }
            } catch (IOException fullNow) {
                return written;
            }
        }
    }

    void freeStorage() throws IOException {
        Files.deleteIfExists(smallStorage.resolve("soak-fill"));
    }

    PrivateStack stack() {
        return stack;
    }

    SoakService checkpointService() {
        return checkpointService;
    }

    SoakService backupService() {
        return backupService;
    }

    Map<String, AgentProcess> agents() {
        return agents;
    }

    List<SoakVm> vms() {
        return vms;
    }

    String bootstrap() {
        return stack.kafka().bootstrap();
    }

    /** Copies what only lives in temp directories (agent logs, PostgreSQL's log) into the run's log directory. */
    void keepLogs() {
        Path logs = runDir.resolve("logs");
        for (Map.Entry<String, AgentProcess> agent : agents.entrySet()) {
            write(logs.resolve(agent.getKey() + "-" + agent.getValue().hostId() + ".log"), agent.getValue().log());
        }
        for (SoakVm vm : vms) {
            write(logs.resolve("qemu-" + vm.domain() + ".log"), vm.qemu().log());
        }
        if (stack != null) {
            write(logs.resolve("postgres.log"), stack.postgres().serverLog());
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ignored) {
            // best effort: evidence, not a result
        }
    }

    /** Stops everything, in an order that leaves nothing behind: services, VMs, tmpfs, agents, broker, database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        quietly(() -> {
            if (checkpointService != null) {
                checkpointService.close();
            }
        });
        quietly(() -> {
            if (backupService != null) {
                backupService.close();
            }
        });
        for (SoakVm vm : vms) {
            quietly(vm::close);
        }
        if (mounted) {
            quietly(() -> Tools.run(List.of("umount", "-l", smallStorage.toString()), 30));
        }
        for (AgentProcess agent : agents.values()) {
            quietly(agent::close);
        }
        if (stack != null) {
            quietly(stack::close);
        }
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            System.err.println("[soak] cleanup step failed: " + e);
        }
    }
}
