package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.output.Print;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Prints where a serving export restore is read: per disk its NBD URI, the key (or the file it was written to) and
 * how to end it, as the pull backup shows its endpoint.
 */
final class ExportEndpoint {
    private ExportEndpoint() {
    }

    static int print(JsonNode restore, boolean json, Path pskFile, PrintStream out) {
        JsonNode nbd = restore.path("nbd");
        JsonNode psk = nbd.path("psk");
        String restoreId = restore.path("restoreId").asText();
        if (pskFile != null && psk.hasNonNull("key")) {
            write(pskFile, psk.path("username").asText() + ":" + psk.path("key").asText() + "\n");
        }
        if (json) {
            ObjectNode shown = restore.deepCopy();
            if (pskFile != null) {
                shown.put("pskFile", pskFile.toAbsolutePath().toString());
            }
            Print.json(out, shown);
            return ExitCodes.OK;
        }
        out.println("Restore " + restoreId + " of " + restore.path("domain").asText() + " at "
                + restore.path("checkpoint").asText() + " exported read-only on host " + restore.path("hostId").asText()
                + " until " + restore.path("expiresAt").asText() + ":");
        String keyParameter = pskFile == null ? "&tls-psk-file=FILE" : "&tls-psk-file=" + pskFile.toAbsolutePath();
        for (JsonNode export : nbd.path("exports")) {
            out.printf("  %s: export '%s' %s%s%n", export.path("disk").asText(), export.path("exportName").asText(),
                    export.path("uri").asText(), keyParameter);
        }
        if (pskFile != null) {
            out.println("  key: identity " + psk.path("username").asText() + ", in " + pskFile.toAbsolutePath());
        } else if (psk.hasNonNull("key")) {
            out.println("  key: " + psk.path("username").asText() + ":" + psk.path("key").asText()
                    + " (one line in a file only you can read, named by tls-psk-file)");
        } else {
            out.println("  key: identity " + psk.path("username").asText() + " (only an operator may read the key)");
        }
        out.println("End it with: cairn restore-end " + restoreId);
        return ExitCodes.OK;
    }

    private static void write(Path file, String line) {
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), line, StandardCharsets.UTF_8,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CliFailure("VIR_ERR_SYSTEM_ERROR", 38, "cannot write the key to " + file + ": " + e.getMessage(),
                    ExitCodes.CAIRN_ERROR);
        }
    }
}
