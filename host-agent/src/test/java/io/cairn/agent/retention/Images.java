package io.cairn.agent.retention;

import io.cairn.agent.backup.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds the qcow2 files of the merge tests with real qemu-img and qemu-io, as a push backup leaves them. */
final class Images {

    private Images() {
    }

    /** A standalone qcow2 of {@code size} bytes with the given qemu-io commands applied (e.g. {@code write -P 0x22 1M 1M}). */
    static Path create(Path file, long size, List<String> writes) {
        Tools.run("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), Long.toString(size));
        write(file, writes);
        return file;
    }

    /** Applies qemu-io commands to an image read alone (its backing, if any, is not opened). */
    static void write(Path file, List<String> writes) {
        if (writes.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("qemu-io", "-f", "qcow2"));
        for (String write : writes) {
            command.add("-c");
            command.add(write);
        }
        command.add(file.toString());
        Tools.Result result = Tools.exec(command);
        if (result.exit() != 0 || result.output().contains("error") || result.output().contains("failed")) {
            throw new IllegalStateException("qemu-io " + writes + ": " + result.output());
        }
    }

    /** Names {@code backing} in the header only, as the agent does after each backup (it need not exist). */
    static void backing(Path image, String backing) {
        Tools.run("qemu-img", "rebase", "-q", "-u", "-f", "qcow2", "-F", "qcow2", "-b", backing, image.toString());
    }

    /** The guest's view of an image (read through its header's chain) as a raw file. */
    static Path raw(String image, Path raw) {
        Tools.run("qemu-img", "convert", "-O", "raw", image, raw.toString());
        return raw;
    }

    static String backingOf(Path image) {
        String info = Tools.run("qemu-img", "info", "-U", "--output=json", image.toString());
        int at = info.indexOf("\"backing-filename\": \"");
        return at < 0 ? null : info.substring(at + 21, info.indexOf('"', at + 21));
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
