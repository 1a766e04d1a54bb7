package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.ProgressBar;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Restores disks of a domain as they were at a checkpoint, from the backup catalog (restore.begin), then (unless
 * --async) follows the restore with a progress bar and prints each image written, exiting with its verdict. With
 * --export (instant restore) it follows the restore until it serves and prints where to connect.
 */
@Command(name = "restore", description = "Restore disks as they were at a checkpoint, from the backup catalog")
public class Restore extends Verb {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "The checkpoint whose state to restore")
    String checkpoint;

    @Option(names = "--disk", paramLabel = "NAME[=PATH]", description = "A disk to restore, and where (absolute "
            + "path on the host holding the artifacts); repeat for more. Default: every disk, beside its artifacts")
    List<String> disks = new ArrayList<>();

    @Option(names = "--format", paramLabel = "qcow2|raw", description = "Image format of a copy (default qcow2)")
    String format;

    @Option(names = "--thin", description = "A thin qcow2 overlay on the chain of artifacts instead of a copy")
    boolean thin;

    @Option(names = "--async", description = "Return once the restore is accepted, without waiting for its end")
    boolean async;

    @Option(names = "--export", description = "Instant restore: serve the disks read-only over NBD (TLS-PSK) until "
            + "restore-end or --ttl, writing nothing")
    boolean export;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "With --export: how long it may serve, e.g. 8h, "
            + "30m, 2d or ISO-8601 PT8H (default 24h, at most 7d)")
    String ttl;

    @Option(names = "--psk-file", paramLabel = "FILE", description = "With --export: write the key (cairn:<key>) to "
            + "this new file, mode 0600, and show the URIs with it")
    java.nio.file.Path pskFile;

    @Override
    protected void validate() {
        if (export) {
            if (thin || format != null || disks.stream().anyMatch(disk -> disk.contains("="))) {
                throw new ParameterException(spec.commandLine(), "--export writes nothing: it takes --disk NAME "
                        + "only, without --thin, --format or a path");
            }
            ttl = ttl == null ? null : ExportDurations.iso(spec.commandLine(), ttl);
        } else if (ttl != null || pskFile != null) {
            throw new ParameterException(spec.commandLine(), (ttl != null ? "--ttl" : "--psk-file")
                    + " applies to --export only");
        }
        if (pskFile != null && java.nio.file.Files.exists(pskFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ParameterException(spec.commandLine(), "--psk-file " + pskFile + " exists; name a new file");
        }
        if (thin && format != null && !"qcow2".equals(format)) {
            throw new ParameterException(spec.commandLine(), "--thin writes qcow2 overlays: drop --format " + format);
        }
        if (format != null && !"qcow2".equals(format) && !"raw".equals(format)) {
            throw new ParameterException(spec.commandLine(), "--format is qcow2 or raw, not '" + format + "'");
        }
    }

    @Override
    protected int run(CairnApi api) {
        ObjectNode body = CairnApi.JSON.createObjectNode().put("checkpoint", checkpoint);
        if (thin) {
            body.put("mode", "thin");
        }
        if (export) {
            body.put("mode", "export");
            if (ttl != null) {
                body.put("ttl", ttl);
            }
        }
        if (!disks.isEmpty()) {
            ArrayNode list = body.putArray("disks");
            for (String disk : disks) {
                int equals = disk.indexOf('=');
                ObjectNode entry = list.addObject().put("name", equals < 0 ? disk : disk.substring(0, equals));
                if (equals >= 0) {
                    entry.put("path", disk.substring(equals + 1));
                }
                if (format != null) {
                    entry.put("format", format);
                }
            }
        } else if (format != null) {
            throw new ParameterException(spec.commandLine(), "--format applies to the disks named with --disk");
        }
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.restore(domain), "application/json",
                body.toString(), commandId);
        JsonNode accepted = answer.json();
        String restoreId = accepted.path("restoreId").asText(null);
        if (restoreId == null) {
            // Ended already (or accepted without saying which restore): its restore-completed is the outcome.
            restoreId = CommandOutcome.await(api, Service.BACKUP, answer, commandId).path("restoreId").asText(null);
        }
        if (async) {
            if (common.json) {
                Print.json(out, CairnApi.JSON.createObjectNode().put("commandId", commandId)
                        .put("restoreId", restoreId));
            } else {
                out.println("Restore started: " + restoreId + " (command " + commandId + ")");
            }
            return ExitCodes.OK;
        }
        JsonNode restore = follow(api, restoreId);
        if (export && "EXPORTED".equals(restore.path("state").asText())) {
            return ExportEndpoint.print(restore, common.json, pskFile, out);
        }
        if (common.json) {
            Print.json(out, restore);
        }
        return verdict(restore);
    }

    private JsonNode follow(CairnApi api, String restoreId) {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        while (true) {
            JsonNode restore = api.getJson(Service.BACKUP, Domains.restoreJob(restoreId));
            String state = restore.path("state").asText();
            bar.update(state, restore.path("bytesDone").asLong(), restore.path("bytesTotal").asLong(),
                    System.nanoTime(), "");
            if ("COMPLETED".equals(state) || "FAILED".equals(state) || "EXPORTED".equals(state)) {
                bar.finish();
                return restore;
            }
            ProgressBar.pauseBeforeRedraw();
        }
    }

    private int verdict(JsonNode restore) {
        if (!"COMPLETED".equals(restore.path("state").asText())) {
            JsonNode error = restore.path("error");
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "restore " + restore.path("restoreId").asText() + " failed: " + error.path("message").asText(),
                    ExitCodes.CAIRN_ERROR);
        }
        if (!common.json) {
            out.println("Restored " + domain + " at " + checkpoint + " on host " + restore.path("hostId").asText()
                    + ":");
            for (JsonNode disk : restore.path("restored")) {
                out.printf("  %s: %s (%s, %s, sha256 %s) from %d artifact(s)%n", disk.path("name").asText(),
                        disk.path("path").asText(), disk.path("format").asText(),
                        Bytes.of(disk.path("size").asLong()), disk.path("sha256").asText(),
                        disk.path("chain").size());
            }
        }
        return ExitCodes.OK;
    }
}
