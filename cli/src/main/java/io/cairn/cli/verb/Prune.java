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
        if (!applied.path("success").asBoolean()) {
            JsonNode error = applied.path("error");
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "retention run " + applied.path("runId").asText() + " failed: " + error.path("message").asText(),
                    ExitCodes.CAIRN_ERROR);
        }
        return ExitCodes.OK;
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
        if (!applied.path("unneededCheckpoints").isEmpty()) {
            List<String> names = new ArrayList<>();
            applied.path("unneededCheckpoints").forEach(name -> names.add(name.asText()));
            lines.add("No kept restore point needs checkpoint(s) " + String.join(", ", names)
                    + " any more (checkpoint-delete them to drop their bitmaps)");
        }
        Print.lines(out, lines);
    }
}
