package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.io.FileTrees;
import io.cairn.testing.io.TeeOutputStream;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A short benchmark run against the real system (packaged services, a host-agent process, a guest-less QEMU, the real
 * broker and database): it proves that every row is measured and the table printed and written, with the per-hop
 * breakdown found in the spans. It asserts no timing: figures on a shared CI machine prove nothing.
 */
class BenchIT {
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void everyRowIsMeasuredAndTheTableIsWritten() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        Path work = Files.createTempDirectory(Path.of("/tmp"), "cairn-bench-");
        keep(() -> FileTrees.delete(work));
        Path traces = work.resolve("traces.jsonl");
        String traceFile = "-Dcairn.trace.file=" + traces;
        CompletableFuture<ServiceProcess> checkpoints = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("checkpoint-service", stack, "cairn_checkpoint_test", traceFile));
        CompletableFuture<ServiceProcess> backups = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("backup-service", stack, "cairn_backup_test", traceFile));
        AgentProcess agent = keep(AgentProcess.start(stack.kafkaBootstrap(), traceFile));
        String domain = "bench-vm-" + UUID.randomUUID().toString().substring(0, 6);
        GuestlessQemu qemu = keep(GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory()
                .disk("vda", 64L << 20, new PatternWrite(0x5a, 0, 64L << 20)).start());
        agent.adopt(domain, qemu.qmpSocket());
        ServiceProcess checkpointService = keep(checkpoints.join());
        ServiceProcess backupService = keep(backups.join());
        Path runDir = Files.createDirectories(work.resolve("run"));
        Files.writeString(runDir.resolve("checkpoint-service.pid"), Long.toString(checkpointService.pid()));
        Files.writeString(runDir.resolve("backup-service.pid"), Long.toString(backupService.pid()));
        Files.writeString(runDir.resolve("host-agent.pid"), Long.toString(agent.pid()));

        BenchSettings settings = new BenchSettings(stack.kafkaBootstrap(), KafkaAccess.jaas(KafkaAccess.ADMIN),
                "http://127.0.0.1:" + checkpointService.port(), "http://127.0.0.1:" + backupService.port(),
                LocalStack.issuer().token("cairn-bench", "operator", List.of("bench-*"), Duration.ofHours(1)),
                domain, qemu.probeSocket(), qemu.store("bench"), traces, runDir, work.resolve("out"), 5, 1, 40, 4);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = new Bench(settings, new PrintStream(new TeeOutputStream(captured, System.out), true,
                StandardCharsets.UTF_8))
                .run();
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(exit).as("the benchmark's exit code; its output:%n%s", output).isZero();
        for (String path : List.of("Kafka alone", "checkpoint.create → checkpoint-created", "lineage list",
                "checkpoint.delete → checkpoint-deleted", "backup.begin (push, full, new checkpoint)",
                "pull backup.begin → export readable", "push full 64 MiB", "push incremental, 1 % dirty",
                "burst: 40 commands over 4 domains", "footprint checkpoint-service", "footprint backup-service",
                "footprint host-agent")) {
            assertThat(output.lines().filter(line -> line.startsWith(path) && line.contains(" | ")))
                    .as("a table row for %s", path).isNotEmpty();
        }
        // Cairn and QEMU alone both measured where both exist: a figure in ms in both columns.
        assertThat(output.lines().filter(line -> line.startsWith("checkpoint.create → checkpoint-created ") && line.contains(" | ")))
                .singleElement().asString().matches(".*\\| [0-9.]+ / [0-9.]+ ms \\(n=5\\) +\\| [0-9.]+ / [0-9.]+ ms "
                        + "\\(n=5\\) +\\| [0-9.]+×.*");
        // The breakdown follows a checkpoint create through the agent and back, from the spans.
        assertThat(output).contains("checkpoint.create, hop by hop:")
                .containsSubsequence("client → checkpoint-service",
                        "Kafka cairn.agent.<host>.commands (checkpoint-service → host-agent)",
                        "in host-agent", "Kafka cairn.agent.<host>.results (host-agent → checkpoint-service)",
                        "Kafka cairn.checkpoint.events → client", "of which QMP calls in the agent");
        assertThat(output).contains("40 outcomes in").contains("0 duplicated, 0 lost, 0 domains out of order");
        assertThat(work.resolve("out/latest.txt")).content().contains("checkpoint.create → checkpoint-created");
    }


    private <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }
}
