package io.cairn.agent.backup;

import static io.cairn.agent.backup.Requests.full;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupServer;
import io.cairn.testing.qemu.GuestlessQemu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent start keeps a domain's files in its own directory, created exclusively, held by one job at a time. */
class StorageConfinementTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aSymlinkSwappedInDuringAStartIsRefusedAndItsTargetNeverWritten(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("swap").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path victim = Files.writeString(tempDir.resolve("victim.img"), "precious");
            Path target = qemu.store("t.qcow2");
            rig.storeFiles.beforeCreateForTests(store -> symlink(store.path(), victim));

            AgentResult result = rig.run(Requests.push(rig, "swapped", List.of(full("vda", target)), List.of(), false));

            assertThat(result.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");
            assertThat(result.error().message()).contains(target.toString()).contains("between its check and its creation");
            assertThat(victim).hasContent("precious");
            assertThat(Files.isSymbolicLink(target)).as("the swapped-in link is not deleted by the rollback").isTrue();
            assertThat(rig.backups.stores().unsettled()).allSatisfy(entry -> assertThat(entry.created()).isEmpty());
            rig.assertQemuClean();

            // Without the swap the same domain's next start works, in the directory the agent made private.
            rig.storeFiles.beforeCreateForTests(store -> { });
            Path next = qemu.store("next.qcow2");
            assertThat(rig.run(Requests.push(rig, "next", List.of(full("vda", next)), List.of(), false)).success())
                    .isTrue();
            assertThat(rig.sink.awaitTerminal("next", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(Files.getPosixFilePermissions(qemu.storeDirectory(), LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            rig.assertQemuClean();
        }
    }

    @Test
    void pathsOutsideTheDomainsDirectoryAndPathsNamedTwiceAreRefused(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("confined").disk("vda", 16 * MIB)
                .disk("vdb", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path otherDomain = Files.createDirectories(qemu.storageRoot().resolve("neighbour"));

            AgentResult elsewhere = rig.run(Requests.push(rig, "j1",
                    List.of(full("vda", otherDomain.resolve("t.qcow2"))), List.of(), false));
            assertThat(elsewhere.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");
            assertThat(elsewhere.error().message()).isEqualTo(
                    "store '%s' for backup of 'vda' is outside '%s', the storage directory of domain 'confined'"
                            .formatted(otherDomain.resolve("t.qcow2"), qemu.storageRoot().toRealPath().resolve("confined")));
            AgentResult socketElsewhere = rig.run(Requests.pull(rig, "j2",
                    new BackupServer("unix", null, null, otherDomain.resolve("n.sock").toString(), null, null),
                    List.of(full("vda", qemu.store("s.qcow2"))), List.of()));
            assertThat(socketElsewhere.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");
            assertThat(otherDomain).isEmptyDirectory();

            Path same = qemu.store("same.qcow2");
            AgentResult twice = rig.run(Requests.push(rig, "j3", List.of(full("vda", same), full("vdb", same)),
                    List.of(), false));
            assertThat(twice.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
            assertThat(twice.error().message()).contains("named twice");
            assertThat(same).doesNotExist();
            rig.assertQemuClean();
        }
    }

    @Test
    void aPathHeldByARunningJobIsRefusedToAnyOtherJobUntilItEnds() {
        HeldPaths held = new HeldPaths();
        Path path = Path.of("/storage/web/t.qcow2");
        held.claim("job-a", "web", List.of(path));

        assertThatThrownBy(() -> held.claim("job-b", "db", List.of(Path.of("/storage/db/x.qcow2"), path)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                        .isEqualTo(VirErrorCode.VIR_ERR_OPERATION_INVALID))
                .hasMessage("path '/storage/web/t.qcow2' is in use by backup job 'job-a' of domain 'web'");
        // All or nothing: the refused job holds none of its paths.
        held.claim("job-c", "db", List.of(Path.of("/storage/db/x.qcow2")));

        held.release("job-a");
        held.claim("job-b", "web", List.of(path));
    }

    private static void symlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
