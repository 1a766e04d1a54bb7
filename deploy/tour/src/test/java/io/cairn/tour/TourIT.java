package io.cairn.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.io.FileTrees;
import io.cairn.testing.io.TeeOutputStream;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
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
 * The acceptance test of the main job: the very tour 'cairn up' runs, against the real system (packaged
 * checkpoint-service and backup-service, a host-agent process, two guest-less QEMUs, the real broker and database),
 * must go through all seven steps with every restore chain identical to its disk.
 */
class TourIT {
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void theTourGoesThroughEveryStepAndEveryChainEqualsItsDisk() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        CompletableFuture<ServiceProcess> checkpoints = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("checkpoint-service", stack, "cairn_checkpoint_test"));
        CompletableFuture<ServiceProcess> backups = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("backup-service", stack, "cairn_backup_test"));
        AgentProcess agent = keep(AgentProcess.start(stack.kafkaBootstrap()));
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String web = "tour-web-" + suffix;
        String db = "tour-db-" + suffix;
        Path vmDir = Files.createTempDirectory(Path.of("/tmp"), "cairn-tour-vms-");
        keep(() -> FileTrees.delete(vmDir));
        startVm(agent, vmDir, GuestlessQemu.builder(agent.storageDir()).domain(web).inDomainDirectory()
                .disk("vda", 64L << 20, new PatternWrite(0x11, 0, 8L << 20), new PatternWrite(0x22, 40L << 20, 4L << 20))
                .disk("vdb", 32L << 20, new PatternWrite(0x33, 1L << 20, 2L << 20)));
        startVm(agent, vmDir, GuestlessQemu.builder(agent.storageDir()).domain(db).inDomainDirectory()
                .disk("vda", 32L << 20, new PatternWrite(0x44, 0, 16L << 20)));
        ServiceProcess checkpointService = keep(checkpoints.join());
        ServiceProcess backupService = keep(backups.join());

        TourSettings settings = new TourSettings(stack.kafkaBootstrap(),
                "http://127.0.0.1:" + checkpointService.port(), "http://127.0.0.1:" + backupService.port(),
                vmDir, agent.storageDir(), List.of(web, db), Duration.ofSeconds(120),
                LocalStack.issuer().token("cairn-tour", "operator", List.of(web, db), Duration.ofHours(2)),
                KafkaAccess.jaas(KafkaProvisioner.TOUR_USER));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = new Tour(settings, new PrintStream(new TeeOutputStream(captured, System.out), true,
                StandardCharsets.UTF_8))
                .run();
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(exit).as("the tour's exit code; its output:%n%s", output).isZero();
        for (int step = 1; step <= 7; step++) {
            assertThat(output).contains("Step " + step + ":");
        }
        // web: 2 disks x (full, incremental, pull) + db: 1 disk x (full, incremental) = 8 chains, none different.
        assertThat(output.lines().filter(l -> l.contains("IDENTICAL"))).hasSize(8);
        assertThat(output).doesNotContain("DIFFERENT").contains("8 chains, all identical");
        assertThat(output).contains("success true (libvirt: an aborted pull backup has succeeded)")
                .doesNotContain("TOUR FAILED");
        // The tree after the delete: r1-c1 with r1-c3 as its only child.
        assertThat(output).containsSubsequence("checkpoint-deleted: [\"r1-c2\"]", "r1-c1", "  +- r1-c3");
    }

    private void startVm(AgentProcess agent, Path vmDir, GuestlessQemu.Builder builder) throws Exception {
        GuestlessQemu qemu = keep(builder.start());
        // The tour plays the guest through <vmDir>/<domain>/guest.qmp, as with 'cairn up': here, QEMU's second monitor.
        Files.createDirectories(vmDir.resolve(qemu.domain()));
        Files.createSymbolicLink(vmDir.resolve(qemu.domain()).resolve("guest.qmp"), qemu.probeSocket());
        agent.adopt(qemu.domain(), qemu.qmpSocket());
    }


    private <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }
}
