package io.cairn.testing.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher starts a listening QEMU with generated disks, and always leaves nothing behind. */
class GuestlessQemuTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void startsWithGeneratedDisksAndCloseRemovesEverything(@TempDir Path tempDir) {
        PatternWrite head = new PatternWrite(0xab, 0, MIB);
        GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("h1")
                .disk("vda", 8 * MIB, head).disk("vdb", 4 * MIB).start();
        Path workDir = qemu.workDir();
        try {
            assertThat(qemu.isAlive()).isTrue();
            assertThat(UnixSocketListening.isListening(qemu.qmpSocket())).isTrue();
            assertThat(qemu.disk("vda").formatNodeName()).isEqualTo("libvirt-1-format");
            assertThat(qemu.disk("vdb").storageNodeName()).isEqualTo("libvirt-2-storage");
            assertThat(qemu.log()).contains("qemu-system-x86_64").contains("wrote 1048576/1048576 bytes");

            // The generated content is real: an image written the same way compares equal, an empty one does not.
            Path same = qemu.file("same.qcow2");
            QemuImg.createQcow2(same, 8 * MIB, qemu.logFile());
            QemuImg.writePatterns(same, List.of(head), qemu.logFile());
            assertThat(QemuImg.identical(same, qemu.disk("vda").image(), qemu.logFile())).isTrue();
            Path empty = qemu.file("empty.qcow2");
            QemuImg.createQcow2(empty, 8 * MIB, qemu.logFile());
            assertThat(QemuImg.identical(empty, qemu.disk("vda").image(), qemu.logFile())).isFalse();
        } finally {
            qemu.close();
        }
        assertThat(qemu.isAlive()).isFalse();
        assertThat(Files.exists(workDir)).isFalse();
    }

    @Test
    void kill9LeavesFilesForARestartUntilClose(@TempDir Path tempDir) {
        GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("h2").disk("vda", 4 * MIB).start();
        long firstPid = qemu.pid();
        qemu.kill9();

        assertThat(qemu.isAlive()).isFalse();
        assertThat(qemu.disk("vda").image()).exists();
        qemu.restart();
        assertThat(qemu.pid()).isNotEqualTo(firstPid);
        assertThat(UnixSocketListening.isListening(qemu.qmpSocket())).isTrue();
        qemu.close();
        assertThat(qemu.isAlive()).isFalse();
        assertThat(qemu.workDir()).doesNotExist();
    }

    @Test
    void closeEndsAFrozenQemu(@TempDir Path tempDir) {
        GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("h3").disk("vda", 4 * MIB).start();
        qemu.sigstop();

        qemu.close();

        assertThat(qemu.isAlive()).isFalse();
    }

    @Test
    void qemuThatCannotStartIsReportedWithItsLog(@TempDir Path tempDir) {
        // A QMP socket path longer than sun_path (107 bytes) makes QEMU exit at once.
        Path deep = tempDir.resolve("x".repeat(120));

        assertThatThrownBy(() -> GuestlessQemu.builder(deep).domain("h4").disk("vda", 4 * MIB).start())
                .hasMessageContaining("QEMU exited early");
    }
}
