package io.cairn.agent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.AgentRig;
import io.cairn.agent.backup.Requests;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.backup.TestAgentConfig.TestNbd;
import io.cairn.agent.backup.Tools;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupServer;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the per-job key costs a TCP pull, against the same pull in plain NBD (cairn.agent.nbd.allow-plain): the
 * agent's start (key file, tls-creds-psk object, server, exports), one client's connect and handshake (nbdinfo), and
 * nbdcopy of a 256 MiB disk. Runs only with {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class PullKeyBenchmarkTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 256 * MIB;
    private static final int RUNS = 5;

    @Test
    void keyVersusPlain(@TempDir Path tempDir) throws Exception {
        PatternWrite data = new PatternWrite(0x3c, 0, SIZE);
        try (GuestlessQemu keyed = GuestlessQemu.builder(tempDir.resolve("k")).domain("keyed").disk("vda", SIZE, data)
                .start();
                GuestlessQemu plain = GuestlessQemu.builder(tempDir.resolve("p")).domain("plain").disk("vda", SIZE, data)
                        .start()) {
            AgentRig withKey = new AgentRig(keyed, TestAgentConfig.of(keyed.workDir(), keyed.storageRoot()));
            AgentRig withoutKey = new AgentRig(plain, TestAgentConfig.of(plain.workDir(), plain.storageRoot())
                    .withNbd(new TestNbd(4, true, false)));
            long[][] key = new long[3][RUNS];
            long[][] clear = new long[3][RUNS];
            for (int run = 0; run < RUNS; run++) {
                measure(withKey, "k" + run, key, run);
                measure(withoutKey, "p" + run, clear, run);
            }
            String[] what = {"start (request to exports up)", "nbdinfo connect+handshake", "nbdcopy 256 MiB"};
            for (int i = 0; i < 3; i++) {
                System.out.printf("pull %-30s median with key %7.1f ms, plain %7.1f ms%n", what[i],
                        median(key[i]), median(clear[i]));
            }
        }
    }

    private static void measure(AgentRig rig, String jobId, long[][] into, int run) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        long started = System.nanoTime();
        AgentResult result = rig.run(Requests.pull(rig, jobId, new BackupServer("tcp", "127.0.0.1", port, null, null,
                null), List.of(Requests.full("vda", rig.qemu.store("scratch-" + jobId + ".qcow2"))), List.of()));
        into[0][run] = System.nanoTime() - started;
        assertThat(result.success()).as("%s", result.error()).isTrue();
        NbdEndpoint nbd = rig.sink.of(jobId).stream().filter(r -> r.state() == BackupJobState.RUNNING).findFirst()
                .orElseThrow().nbd();
        String uri = nbd.exports().get(0).uri();
        if (nbd.psk() != null) {
            Path keyFile = Files.writeString(rig.qemu.file(jobId + ".psk"), nbd.psk().fileLine() + "\n");
            uri = uri + "?tls-psk-file=" + keyFile;
        }
        started = System.nanoTime();
        Tools.run("nbdinfo", "--size", uri);
        into[1][run] = System.nanoTime() - started;
        Path copy = rig.qemu.file("copy-" + jobId + ".raw");
        started = System.nanoTime();
        Tools.run("nbdcopy", uri, copy.toString());
        into[2][run] = System.nanoTime() - started;
        assertThat(Files.size(copy)).isEqualTo(SIZE);
        Files.delete(copy);
        assertThat(rig.run(Requests.abort(rig, jobId)).success()).isTrue();
        rig.sink.awaitTerminal(jobId, AgentRig.WAIT);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
