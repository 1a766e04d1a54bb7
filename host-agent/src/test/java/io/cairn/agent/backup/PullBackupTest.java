package io.cairn.agent.backup;

import static io.cairn.agent.backup.PushBackupTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.inventory.DiskInventory;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull backups (fleecing) read with the libnbd tools: the export shows the disk as it was at the start
 * despite later guest writes, the exported dirty bitmap lists exactly the writes since the checkpoint,
 * and abort tears everything down and ends the job COMPLETED (libvirt's rule for pull).
 */
class PullBackupTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 64 * MIB;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x11, 0, 8 * MIB));
    private static final List<PatternWrite> SINCE_CHK1 = List.of(new PatternWrite(0x81, 0, MIB),
            new PatternWrite(0x82, 3 * MIB, 4096), new PatternWrite(0x83, 40 * MIB + 512, 512));
    private static final List<PatternWrite> AFTER_START = List.of(new PatternWrite(0x91, 0, MIB),
            new PatternWrite(0x92, 20 * MIB, 64 * 1024));
    private static final Pattern MAP_LINE = Pattern.compile("\\s*(\\d+)\\s+(\\d+)\\s+(\\d+).*");

    @Test
    void incrementalPullOverUnixSocket(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("pull")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            assertThat(rig.run(new AddBitmapsRequest("r0", "host-1", "pull", List.of(new DiskBitmap("vda", "chk1"))))
                    .success()).isTrue();
            SINCE_CHK1.forEach(write -> rig.guestWrite("vda", write));
            Path socket = qemu.store("nbd.sock");
            Path scratch = qemu.store("scratch-vda.qcow2");
            BackupDisk disk = new BackupDisk("vda", null, DiskBackupMode.INCREMENTAL, "chk1", null, null,
                    Requests.store(scratch), null);

            AgentResult started = rig.run(Requests.pull(rig, "pull-1",
                    new BackupServer("unix", null, null, socket.toString(), null, null), List.of(disk),
                    Requests.checkpoint("chk2", "vda")));
            assertThat(started.success()).as("%s", started.error()).isTrue();
            BackupJobReport running = rig.sink.of("pull-1").stream()
                    .filter(report -> report.state() == BackupJobState.RUNNING).findFirst().orElseThrow();
            NbdExport export = running.nbd().exports().get(0);
            assertThat(export.bitmapContext()).isEqualTo("qemu:dirty-bitmap:backup-vda");
            assertThat(export.uri()).isEqualTo("nbd+unix:///vda?socket=" + socket);
            assertThat(running.nbd().psk()).as("a unix socket is protected by its mode, not a key").isNull();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                    .as("only the agent's user may connect").isEqualTo("rw-------");
            AFTER_START.forEach(write -> rig.guestWrite("vda", write));

            Path copy = qemu.file("pulled.raw");
            Tools.run("nbdcopy", export.uri(), copy.toString());
            Path atStart = rig.expectedImage("at-start.qcow2", SIZE, concat(INITIAL, SINCE_CHK1));
            assertThat(Tools.identical(copy, "raw", atStart, "qcow2")).as("export == disk at backup start").isTrue();
            assertThat(Tools.identical(qemu.disk("vda").image(), "qcow2", atStart, "qcow2"))
                    .as("sanity: the live disk moved on").isFalse();
            assertThat(dirtyExtents(Tools.run("nbdinfo", "--map=" + export.bitmapContext(), export.uri())))
                    .containsExactly(List.of(0L, MIB), List.of(3 * MIB, 64 * 1024L), List.of(40 * MIB, 64 * 1024L));
            DiskInventory live = rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow();
            assertThat(live.bitmap("chk2").orElseThrow().count()).as("writes after the start belong to chk2")
                    .isEqualTo(MIB + 64 * 1024);

            assertThat(rig.run(Requests.abort(rig, "pull-1")).success()).isTrue();
            BackupJobReport end = rig.sink.awaitTerminal("pull-1", AgentRig.WAIT);
            assertThat(end.state()).as("an aborted pull backup completes").isEqualTo(BackupJobState.COMPLETED);
            PushBackupTest.assertReportSequence(rig.sink.of("pull-1"));
            assertThat(scratch).doesNotExist();
            rig.assertQemuClean();
            assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow().bitmapNames())
                    .containsExactlyInAnyOrder("chk1", "chk2");
        }
    }

    @Test
    void fullPullOverTcpOnAnAllowedAddressWithTheJobsKey(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("pulltcp")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path scratch = qemu.store("scratch.qcow2");
            AgentResult started = rig.run(Requests.pull(rig, "pull-tcp",
                    new BackupServer("tcp", "127.0.0.1", port, null, null, null),
                    List.of(Requests.full("vda", scratch)), List.of()));
            assertThat(started.success()).as("%s", started.error()).isTrue();
            rig.guestWrite("vda", new PatternWrite(0x99, 0, 2 * MIB));
            NbdEndpoint nbd = rig.sink.of("pull-tcp").stream().filter(report -> report.state() == BackupJobState.RUNNING)
                    .findFirst().orElseThrow().nbd();
            Path keyFile = Files.writeString(qemu.file("client.psk"), nbd.psk().fileLine() + "\n");
            Path copy = qemu.file("pulled.raw");
            Tools.run("nbdcopy", nbd.exports().get(0).uri() + "?tls-psk-file=" + keyFile, copy.toString());
            assertThat(Tools.identical(copy, "raw", rig.expectedImage("want.qcow2", SIZE, INITIAL), "qcow2")).isTrue();

            assertThat(rig.run(Requests.abort(rig, "pull-tcp")).success()).isTrue();
            assertThat(rig.sink.awaitTerminal("pull-tcp", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            await().atMost(AgentRig.WAIT).until(() -> !Files.exists(scratch));
            rig.assertQemuClean();
        }
    }

    private static List<List<Long>> dirtyExtents(String map) {
        List<List<Long>> extents = new ArrayList<>();
        for (String line : map.split("\n")) {
            Matcher matcher = MAP_LINE.matcher(line);
            if (matcher.matches() && matcher.group(3).equals("1")) {
                extents.add(List.of(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
            }
        }
        return extents;
    }
}
