package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The user's side of a backup, done with stock tools: qemu-img to build and compare restore chains, libnbd's
 * nbdinfo to ask a pull export which blocks changed, and QEMU's NBD client (qemu-img) to read exactly those.
 */
final class ImageTools {

    /** One run of changed blocks in a pull export's dirty bitmap. */
    record Extent(long offset, long length) {
    }

    private ImageTools() {
    }

    /** True when qemu-img compare finds the two images' guest-visible contents equal (-U: the VM may hold a lock). */
    static boolean identical(Path a, Path b) {
        Result result = run(List.of("qemu-img", "compare", "-U", a.toString(), b.toString()));
        if (result.exit() > 1) {
            throw new TourFailure("qemu-img compare " + a + " " + b + " failed: " + result.output().strip());
        }
        return result.exit() == 0;
    }

    /** A restorable copy of an incremental backup, its backing set to the previous link of the chain. */
    /** The SHA-256 of a file's bytes, hex: what the catalog records for an artifact. */
    static String sha256(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new TourFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An empty qcow2 overlay on {@code backing}: where the dirty extents of a pull backup land. */
    static Path overlay(Path backing, Path overlay) {
        try {
            Files.createDirectories(overlay.getParent());
            Files.deleteIfExists(overlay);
        } catch (IOException e) {
            throw new TourFailure("cannot prepare " + overlay + ": " + e.getMessage(), e);
        }
        require(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", backing.toString(),
                overlay.toString()));
        return overlay;
    }

    /** The changed extents an NBD export reports under a {@code qemu:dirty-bitmap:...} meta context (nbdinfo). */
    static List<Extent> dirtyExtents(String uri, String context) {
        String json = require(List.of("nbdinfo", "--json", "--map=" + context, uri));
        try {
            List<Extent> dirty = new ArrayList<>();
            for (JsonNode extent : CairnJson.mapper().readTree(json)) {
                // In a dirty-bitmap context, type bit 0 set means "dirty": changed since the checkpoint.
                if ((extent.get("type").asInt() & 1) != 0) {
                    dirty.add(new Extent(extent.get("offset").asLong(), extent.get("length").asLong()));
                }
            }
            return dirty;
        } catch (IOException e) {
            throw new TourFailure("unreadable nbdinfo map: " + json, e);
        }
    }

    /**
     * Copies one extent from the NBD export into the same place of {@code target} with QEMU's NBD client: both
     * sides are windowed by the raw driver's offset/size, so nothing outside the extent is read or written.
     */
    static void copyExtent(Path nbdSocket, String exportName, Extent extent, Path target) {
        String window = "driver=raw,offset=" + extent.offset() + ",size=" + extent.length();
        require(List.of("qemu-img", "convert", "-n",
                "--image-opts", window + ",file.driver=nbd,file.server.type=unix,file.server.path=" + nbdSocket
                        + ",file.export=" + exportName,
                "--target-image-opts", window + ",file.driver=qcow2,file.file.driver=file,file.file.filename="
                        + target));
    }

    private static String require(List<String> command) {
        Result result = run(command);
        if (result.exit() != 0) {
            throw new TourFailure(String.join(" ", command) + " failed (exit " + result.exit() + "): "
                    + result.output().strip());
        }
        return result.output();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TourFailure(command.get(0) + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TourFailure("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TourFailure("interrupted running " + command.get(0), e);
        }
    }
}
