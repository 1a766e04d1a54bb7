package io.cairn.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are created exclusively by walking directory handles: whatever is swapped in between a path's check and its
 * creation (the hook runs exactly there) is refused and never written through; deletion takes only the created inode.
 */
class StoreFilesTest {

    private static final StoreFiles.Formatter IMAGE = staging -> write(staging, "qcow2 image bytes");

    @Test
    void createsThePrivateFileWithTheStagedImageAndRecordsItsInode(@TempDir Path root) throws IOException {
        StoragePolicy policy = new StoragePolicy(List.of(root));
        StoreFiles files = new StoreFiles(policy);

        StoreFiles.Created created = files.create(policy.checkNewStore(root + "/vm1/t.qcow2", "vm1", "vda"), IMAGE);

        Path target = root.toRealPath().resolve("vm1/t.qcow2");
        assertThat(created.path()).isEqualTo(target);
        assertThat(target).hasContent("qcow2 image bytes");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(created.fileKey()).isEqualTo(String.valueOf(
                Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey()));
        assertThat(files.stillSame(created)).isTrue();
    }

    @Test
    void aSymlinkSwappedInBetweenCheckAndCreateIsRefusedAndItsTargetNotWritten(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path victim = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("victim"), "precious");
        StoragePolicy policy = new StoragePolicy(List.of(root));
        StoreFiles files = new StoreFiles(policy);
        StorePath store = policy.checkNewStore(root + "/vm1/t.qcow2", "vm1", "vda");
        files.beforeCreateForTests(checked -> symlink(checked.path(), victim));

        assertThatThrownBy(() -> files.create(store, IMAGE))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                        .isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED))
                .hasMessageContaining(root + "/vm1/t.qcow2");

        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(store.path())).as("the swapped-in link is left as it was").isTrue();
    }

    @Test
    void aDirectorySwappedForASymlinkInTheWindowIsRefusedAndNothingIsCreatedWhereItPoints(@TempDir Path dir)
            throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(root.resolve("vm1/sub"));
        StoragePolicy policy = new StoragePolicy(List.of(root));
        StoreFiles files = new StoreFiles(policy);

        for (String swapped : List.of("vm1/sub", "vm1")) {
            StorePath store = policy.checkNewStore(root + "/vm1/sub/t.qcow2", "vm1", "vda");
            files.beforeCreateForTests(checked -> {
                Path directory = checked.root().resolve(swapped);
                move(directory, directory.resolveSibling(directory.getFileName() + ".away"));
                symlink(directory, swapped.equals("vm1") ? outside.getParent().resolve("outside-vm1") : outside);
            });
            Files.createDirectories(dir.resolve("outside-vm1/sub"));

            assertThatThrownBy(() -> files.create(store, IMAGE)).as(swapped)
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                            .isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED));
            assertThat(outside).isEmptyDirectory();
            assertThat(dir.resolve("outside-vm1/sub")).isEmptyDirectory();
            // Put the real directories back for the next round.
            Files.delete(root.resolve(swapped));
            move(root.resolve(swapped + ".away"), root.resolve(swapped));
        }
    }

    @Test
    void deletesOnlyTheInodeItCreated(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path victim = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("victim"), "precious");
        StoragePolicy policy = new StoragePolicy(List.of(root));
        StoreFiles files = new StoreFiles(policy);

        StoreFiles.Created replaced = files.create(policy.checkNewStore(root + "/vm1/a.qcow2", "vm1", "vda"), IMAGE);
        Files.delete(replaced.path());
        Files.writeString(replaced.path(), "another file now");
        assertThat(files.deleteCreated(replaced)).startsWith("kept");
        assertThat(replaced.path()).hasContent("another file now");

        StoreFiles.Created linked = files.create(policy.checkNewStore(root + "/vm1/b.qcow2", "vm1", "vda"), IMAGE);
        Files.delete(linked.path());
        symlink(linked.path(), victim);
        assertThat(files.deleteCreated(linked)).startsWith("kept");
        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(linked.path())).isTrue();

        StoreFiles.Created own = files.create(policy.checkNewStore(root + "/vm1/c.qcow2", "vm1", "vda"), IMAGE);
        assertThat(files.deleteCreated(own)).isEqualTo("deleted " + own.path());
        assertThat(own.path()).doesNotExist();
    }

    private static void write(Path path, String content) {
        try {
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void symlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
