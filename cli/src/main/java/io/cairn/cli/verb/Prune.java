package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Applies a domain's retention policy now (retention.apply) and waits for its retention-applied: what was merged
 * and deleted, the space freed, and the checkpoints no kept restore point needs any more.
 */
@Command(name = "prune", description = "Apply a domain's retention policy now")
public class Prune extends Verb {

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--async", description = "Print the run's id and return without waiting")
    boolean async;

    @Option(names = "--delete-checkpoints", description = "Then delete the checkpoints no kept restore point needs "
            + "(each only if it is not a newer checkpoint of the same name), so QEMU drops their bitmaps")
    boolean deleteCheckpoints;

    @Override
    protected int run(CairnApi api) {
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.retention(domain) + "/apply", "application/json",
                "", commandId);
        if (async) {
            if (common.json) {
                Print.json(out, answer.json());
            } else {
                out.println("Retention run " + answer.json().path("runId").asText(commandId) + " of " + domain
                        + " started");
            }
            return ExitCodes.OK;
        }
        err.println("Pruning " + domain + " ...");
        JsonNode applied = CommandOutcome.await(api, Service.BACKUP, answer, commandId);
        if (common.json) {
            Print.json(out, applied);
        } else {
            print(applied);
        }
        if (deleteCheckpoints && applied.path("success").asBoolean()) {
            deleteUnneeded(api, applied.path("unneededCheckpoints"));
        }
        if (!applied.path("success").asBoolean()) {
            JsonNode error = applied.path("error");
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "retention run " + applied.path("runId").asText() + " failed: " + error.path("message").asText(),
                    ExitCodes.CAIRN_ERROR);
        }
        return ExitCodes.OK;
    }

    @Override
    protected void validate() {
        if (async && deleteCheckpoints) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--delete-checkpoints waits for the run's end: it cannot be --async");
        }
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * Deletes each unneeded checkpoint through the checkpoint API, as {@code checkpoint-delete} does (its bitmap is
     * merged into its parent's), unless the domain's checkpoint of that name was created after the artifact holding
     * it: then it is a newer one of the same name, and stays.
     */
    private void deleteUnneeded(CairnApi api, JsonNode unneeded) {
        for (JsonNode entry : unneeded) {
            String name = entry.path("checkpoint").asText();
            java.time.Instant captured = java.time.Instant.parse(entry.path("lastCapturedAt").asText());
            JsonNode view;
            try {
                view = api.getJson(Service.CHECKPOINT, Domains.checkpoint(domain, name));
            } catch (CliFailure gone) {
                if (!"VIR_ERR_NO_DOMAIN_CHECKPOINT".equals(gone.code())) {
                    throw gone;
                }
                err.println("Checkpoint " + name + " is gone already");
                continue;
            }
            long created = view.path("checkpoint").path("creationTime").asLong(Long.MAX_VALUE);
            if (created > captured.getEpochSecond()) {
                err.println("Checkpoint " + name + " was created after its last backup file (a newer checkpoint of "
                        + "that name): kept");
                continue;
            }
            String commandId = Domains.newCommandId();
            CairnApi.Answer answer = api.delete(Service.CHECKPOINT, Domains.checkpoint(domain, name), commandId);
            CommandOutcome.await(api, Service.CHECKPOINT, answer, commandId);
            // With --json, stdout holds the outcome alone.
            (common.json ? err : out).println("Domain checkpoint " + name + " deleted");
        }
    }

    private void print(JsonNode applied) {
        List<String> lines = new ArrayList<>();
        Table kept = new Table("Kept restore point", "Rule");
        applied.path("kept").forEach(point -> kept.row(point.path("checkpoint").asText("-"),
                point.path("rule").asText()));
        lines.addAll(kept.lines());
        if (!applied.path("merged").isEmpty()) {
            Table merged = new Table("Merged into", "Expired link", "New base", "Size");
            applied.path("merged").forEach(entry -> merged.row(entry.path("artifact").asText(),
                    entry.path("mergedAway").asText(), entry.path("incrementalFrom").asText("(none: a full)"),
                    Bytes.of(entry.path("size").asLong())));
            lines.add("");
            lines.addAll(merged.lines());
        }
        if (!applied.path("deleted").isEmpty()) {
            Table deleted = new Table("Deleted", "Checkpoint", "Path");
            applied.path("deleted").forEach(entry -> deleted.row(entry.path("artifact").asText(),
                    entry.path("checkpoint").asText("-"), entry.path("path").asText()));
            lines.add("");
            lines.addAll(deleted.lines());
        }
        lines.add("");
        lines.add(applied.path("deleted").size() + " artifact(s) deleted, " + applied.path("merged").size()
                + " merged, " + Bytes.of(Math.max(0, applied.path("bytesFreed").asLong())) + " freed");
        if (!applied.path("unneededCheckpoints").isEmpty() && !deleteCheckpoints) {
            List<String> names = new ArrayList<>();
            applied.path("unneededCheckpoints").forEach(entry -> names.add(entry.path("checkpoint").asText()));
            lines.add("No kept restore point needs checkpoint(s) " + String.join(", ", names)
                    + " any more (prune --delete-checkpoints, or checkpoint-delete, drops their bitmaps)");
        }
        Print.lines(out, lines);
    }
}
