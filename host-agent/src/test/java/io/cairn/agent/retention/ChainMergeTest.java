package io.cairn.agent.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.agent.backup.Tools;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One merge step on real files: a full and two standalone incrementals written with distinct patterns (zero writes
 * over older data included), headers as the agent leaves them or naming files that do not exist. After each merge
 * the shortened chain reads as the guest's disk did at that point; a failed merge leaves the successor byte for byte.
 */
class ChainMergeTest {
    private static final long SIZE = 64L << 20;
    private static final List<String> FULL = List.of("write -P 0x11 0 4M", "write -P 0x12 8M 1M",
            "write -P 0x13 20M 64k");
    /** inc1 overwrites full data, zeroes some (an allocated zero cluster that must hide the full's 0x12). */
    private static final List<String> INC1 = List.of("write -P 0x22 1M 1M", "write -z 8M 64k",
            "write -P 0x23 30M 128k");
    /** inc2 overwrites part of inc1 and zeroes part of inc1's data. */
    private static final List<String> INC2 = List.of("write -P 0x33 1536k 64k", "write -z 1M 64k",
            "write -P 0x34 20M 1M");

    @TempDir
    Path dir;
    /** The domain's storage directory, where the agent may merge. */
    private Path store;
    private StoragePolicy storage;
    private Path full;
    private Path inc1;
    private Path inc2;
    private Path atFull;
    private Path atInc1;
    private Path atInc2;

    @BeforeEach
    void backUpThreeTimes() {
        // The guest's disk, remembered at each backup, written independently of any chain.
        Path guest = Images.create(dir.resolve("guest.qcow2"), SIZE, FULL);
        atFull = Images.raw(guest.toString(), dir.resolve("at-full.raw"));
        Images.write(guest, INC1);
        atInc1 = Images.raw(guest.toString(), dir.resolve("at-inc1.raw"));
        Images.write(guest, INC2);
        atInc2 = Images.raw(guest.toString(), dir.resolve("at-inc2.raw"));

        Path root = dir.resolve("root");
        store = root.resolve("vm1");
        try {
            Files.createDirectories(store, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        storage = new StoragePolicy(List.of(root));
        full = Images.create(store.resolve("full.qcow2"), SIZE, FULL);
        inc1 = Images.create(store.resolve("inc1.qcow2"), SIZE, INC1);
        inc2 = Images.create(store.resolve("inc2.qcow2"), SIZE, INC2);
        Images.backing(inc1, full.toString());
        Images.backing(inc2, inc1.toString());
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).as("the chain as built").isTrue();
        assertThat(Tools.identical(inc1, "qcow2", atInc1, "raw")).isTrue();
    }

    @Test
    void mergingInc1IntoInc2LeavesInc2OnTheFullReadingAsBefore() {
        String inc1Sha = Images.sha256(inc1);
        String fullSha = Images.sha256(full);

        MergedArtifact merged = merge().merge("vm1", "vda", inc2, inc1, List.of(full));

        assertThat(merged.backing()).isEqualTo(full);
        assertThat(Images.backingOf(inc2)).isEqualTo(full.toString());
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).as("full <- inc2 is the disk at inc2").isTrue();
        assertThat(Tools.identical(full, "qcow2", atFull, "raw")).isTrue();
        assertThat(Images.sha256(inc1)).as("the expired link is never written").isEqualTo(inc1Sha);
        assertThat(Images.sha256(full)).isEqualTo(fullSha);
        assertThat(merged.sha256()).isEqualTo(Images.sha256(inc2));
        assertThat(merged.size()).isEqualTo(size(inc2));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void expiringTheFullUnderAKeptInc1MakesInc1AFullOfItsOwn() throws IOException {
        MergedArtifact merged = merge().merge("vm1", "vda", inc1, full, List.of());

        assertThat(merged.backing()).isNull();
        assertThat(Images.backingOf(inc1)).isNull();
        assertThat(Tools.identical(inc1, "qcow2", atInc1, "raw")).as("inc1 alone is the disk at inc1").isTrue();
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).as("inc2 above it is unchanged").isTrue();
        Files.move(full, dir.resolve("gone.qcow2"));
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).as("without the full").isTrue();
    }

    @Test
    void headersNamingFilesThatDoNotExistDoNotMatterSinceTheChainIsGiven() {
        Images.backing(inc1, inc1 + ".base-not-in-catalog");
        Images.backing(inc2, inc2 + ".base-not-in-catalog");

        merge().merge("vm1", "vda", inc2, inc1, List.of(full));

        assertThat(Images.backingOf(inc2)).isEqualTo(full.toString());
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).isTrue();
    }

    @Test
    void bothStepsOfAPlanTakeInc2DownToAFullReadingAsTheDiskAtInc2() {
        ChainMerge merge = merge();
        merge.merge("vm1", "vda", inc2, inc1, List.of(full));
        merge.merge("vm1", "vda", inc2, full, List.of());

        assertThat(Images.backingOf(inc2)).isNull();
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).isTrue();
    }

    @Test
    void aPlansStepsInOrderThenItsDeletionsLeaveEveryKeptPointReadingAsItWas() throws IOException {
        // Five backups; kept: inc1, inc3, inc4. The planner's steps: inc1 absorbs the full (standalone), then inc3
        // absorbs inc2 onto inc1 in its final form; then the full and inc2 are deleted.
        Path guest = dir.resolve("guest.qcow2");
        Images.write(guest, List.of("write -P 0x44 3M 1M", "write -z 30M 64k"));
        Path atInc3 = Images.raw(guest.toString(), dir.resolve("at-inc3.raw"));
        Images.write(guest, List.of("write -P 0x55 0 64k", "write -P 0x56 40M 2M"));
        Path atInc4 = Images.raw(guest.toString(), dir.resolve("at-inc4.raw"));
        Path inc3 = Images.create(store.resolve("inc3.qcow2"), SIZE, List.of("write -P 0x44 3M 1M", "write -z 30M 64k"));
        Path inc4 = Images.create(store.resolve("inc4.qcow2"), SIZE, List.of("write -P 0x55 0 64k",
                "write -P 0x56 40M 2M"));
        Images.backing(inc3, inc2.toString());
        Images.backing(inc4, inc3.toString());
        assertThat(Tools.identical(inc4, "qcow2", atInc4, "raw")).as("the chain as built").isTrue();

        ChainMerge merge = merge();
        merge.merge("vm1", "vda", inc1, full, List.of());
        merge.merge("vm1", "vda", inc3, inc2, List.of(inc1));
        Files.move(full, dir.resolve("deleted-full.qcow2"));
        Files.move(inc2, dir.resolve("deleted-inc2.qcow2"));

        assertThat(Images.backingOf(inc3)).isEqualTo(inc1.toString());
        assertThat(Tools.identical(inc1, "qcow2", atInc1, "raw")).isTrue();
        assertThat(Tools.identical(inc3, "qcow2", atInc3, "raw")).isTrue();
        assertThat(Tools.identical(inc4, "qcow2", atInc4, "raw")).isTrue();
    }

    @Test
    void aMissingExpiredLinkFailsAndLeavesTheSuccessorByteForByte() throws IOException {
        String before = Images.sha256(inc2);
        Files.delete(inc1);

        assertThatThrownBy(() -> merge().merge("vm1", "vda", inc2, inc1, List.of(full)))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG))
                .hasMessageContaining("'" + inc1 + "' is not an existing regular file");
        assertThat(Images.sha256(inc2)).isEqualTo(before);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFailureAfterQemuImgRewroteTheCopyLeavesTheSuccessorByteForByte() throws IOException {
        String before = Images.sha256(inc2);
        // The real qemu-img, except that its check reports corruption: the rebase has already changed the copy.
        Path qemuImg = dir.resolve("qemu-img-check-fails");
        Files.writeString(qemuImg, "#!/bin/sh\n[ \"$1\" = check ] && { echo 'ERROR cluster 5 refcount=0'; exit 2; }\n"
                + "exec qemu-img \"$@\"\n");
        Files.setPosixFilePermissions(qemuImg, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> new ChainMerge(storage, qemuImg.toString(), Duration.ofMinutes(2), true)
                .merge("vm1", "vda", inc2, inc1, List.of(full)))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_FAILED))
                .hasMessageContaining("exited with 2 (not clean): ERROR cluster 5 refcount=0");
        assertThat(Images.sha256(inc2)).isEqualTo(before);
        assertThat(Images.backingOf(inc2)).isEqualTo(inc1.toString());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aQemuImgFailureIsReportedWithItsMessageAndChangesNothing() throws IOException {
        String before = Images.sha256(inc2);
        Path notQcow2 = store.resolve("not-an-image.qcow2");
        Files.writeString(notQcow2, "plain text");

        assertThatThrownBy(() -> merge().merge("vm1", "vda", inc2, inc1, List.of(notQcow2)))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_FAILED))
                .hasMessageContaining("qemu-img exited with 1");
        assertThat(Images.sha256(inc2)).isEqualTo(before);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFileOutsideTheDomainsDirectoryIsRefused() throws IOException {
        Path elsewhere = Files.copy(full, dir.resolve("elsewhere.qcow2"));

        assertThatThrownBy(() -> merge().merge("vm1", "vda", inc1, elsewhere, List.of()))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED))
                .hasMessageContaining("is outside");
        assertThatThrownBy(() -> merge().merge("vm2", "vda", inc2, inc1, List.of(full)))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED));
    }

    @Test
    void aSymlinkIsRefusedAndNeverFollowed() throws IOException {
        Path link = Files.createSymbolicLink(store.resolve("link.qcow2"), inc2);
        String before = Images.sha256(inc2);

        assertThatThrownBy(() -> merge().merge("vm1", "vda", link, inc1, List.of(full)))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG))
                .hasMessageContaining("is a symbolic link");
        assertThat(Images.sha256(inc2)).isEqualTo(before);
    }

    private ChainMerge merge() {
        return new ChainMerge(storage, Duration.ofMinutes(2));
    }

    private List<Path> leftovers() {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(file -> file.getFileName().toString().contains(".merge-")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
