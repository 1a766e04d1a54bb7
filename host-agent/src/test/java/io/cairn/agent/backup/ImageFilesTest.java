package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-img runs with a real timeout and bounded output: stand-in scripts play a hung or chatty qemu-img. */
class ImageFilesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void hungQemuImgIsKilledWithinTheTimeoutWithItsChildren(@TempDir Path tempDir) throws IOException {
        // The stand-in prints (so a reader would block on the pipe, not on an empty stream), starts a child
        // that holds the pipe open too, and hangs.
        Path script = script(tempDir, "hung-qemu-img", """
                echo $$ > "%1$s/pid"
                echo formatting
                sleep 30 &
                echo $! > "%1$s/child"
                wait
                """.formatted(tempDir));
        ImageFiles files = new ImageFiles(script.toString(), Duration.ofMillis(500));
        long started = System.nanoTime();

        assertThatThrownBy(() -> files.create(tempDir.resolve("t.qcow2"), 1 << 20, null).await().atMost(WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(script + " create -q -f qcow2 " + tempDir.resolve("t.qcow2"))
                .hasMessageContaining("did not finish within 500 ms")
                .hasMessageContaining("formatting");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
        long pid = Long.parseLong(Files.readString(tempDir.resolve("pid")).strip());
        long child = Long.parseLong(Files.readString(tempDir.resolve("child")).strip());
        await().atMost(WAIT).until(() -> !alive(pid) && !alive(child));
    }

    @Test
    void failureKeepsOnlyTheStartOfAHugeOutput(@TempDir Path tempDir) throws IOException {
        Path script = script(tempDir, "chatty-qemu-img", """
                echo "qemu-img: Could not create '$5': Permission denied" >&2
                head -c 4000000 /dev/zero | tr '\\0' x
                exit 1
                """);
        ImageFiles files = new ImageFiles(script.toString(), Duration.ofSeconds(30));

        assertThatThrownBy(() -> files.create(tempDir.resolve("t.qcow2"), 1 << 20, null).await().atMost(WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("Permission denied")
                .satisfies(failure -> assertThat(failure.getMessage()).hasSizeLessThan(16 * 1024));
    }

    @Test
    void fullStorageIsASystemErrorNotABug() {
        // /dev/full takes the open and fails every write with ENOSPC: real qemu-img meets a really full device.
        assertThatThrownBy(() -> ImageFiles.createQcow2(Path.of("/dev/full"), 32 << 20, null).await().atMost(WAIT))
                .isInstanceOfSatisfying(CairnException.class, failure -> assertThat(failure.code())
                        .isEqualTo(VirErrorCode.VIR_ERR_SYSTEM_ERROR))
                .hasMessageContaining("No space left on device");
    }

    @Test
    void realQemuImgCreatesABackedQcow2(@TempDir Path tempDir) throws Exception {
        Path base = tempDir.resolve("base.qcow2");
        Path overlay = tempDir.resolve("overlay.qcow2");

        ImageFiles.createQcow2(base, 1 << 20, null).await().atMost(WAIT);
        ImageFiles.createQcow2(overlay, 1 << 20, base).await().atMost(WAIT);

        Process info = new ProcessBuilder("qemu-img", "info", "-U", overlay.toString()).redirectErrorStream(true).start();
        String output = new String(info.getInputStream().readAllBytes());
        assertThat(info.waitFor()).as(output).isZero();
        assertThat(output).contains("file format: qcow2").contains("backing file: " + base);
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
