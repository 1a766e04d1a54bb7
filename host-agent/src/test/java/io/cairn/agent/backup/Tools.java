package io.cairn.agent.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools tests check backups with (qemu-img, nbdcopy, nbdinfo), returning their output. */
public final class Tools {

    private Tools() {
    }

    public static String run(String... command) {
        Result result = exec(List.of(command));
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exit() + ": " + result.output());
        }
        return result.output();
    }

    public record Result(int exit, String output) {
    }

    public static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** qemu-img compare of two images of the given formats: true when the guest-visible content is equal. */
    public static boolean identical(Path first, String firstFormat, Path second, String secondFormat) {
        Result result = exec(List.of("qemu-img", "compare", "-U", "-f", firstFormat, "-F", secondFormat,
                first.toString(), second.toString()));
        if (result.exit() > 1) {
            throw new IllegalStateException("qemu-img compare failed: " + result.output());
        }
        return result.exit() == 0;
    }

    public static void rebaseUnsafe(Path image, Path backing) {
        run("qemu-img", "rebase", "-u", "-b", backing.toString(), "-F", "qcow2", image.toString());
    }
}
