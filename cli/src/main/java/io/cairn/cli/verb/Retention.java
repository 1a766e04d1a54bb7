package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Shows a domain's retention policy and what applying it now would do, changing nothing: the restore points kept
 * and the rule keeping each, the merges and deletions, and whether each disk's next backup will be full.
 */
@Command(name = "retention", description = "Show a domain's retention policy and what it would prune now")
public class Retention extends Verb {

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    protected int run(CairnApi api) {
        JsonNode view = api.getJson(Service.BACKUP, Domains.retention(domain));
        if (common.json) {
            Print.json(out, view);
        } else {
            print(out, view);
        }
        return ExitCodes.OK;
    }

    /** The policy line, then the dry run's tables. */
    static void print(PrintStream out, JsonNode view) {
        JsonNode policy = view.path("policy");
        if (policy.isMissingNode() || policy.isNull()) {
            out.println("Domain " + view.path("domain").asText() + " has no retention policy: nothing is pruned.");
            return;
        }
        out.println("Policy: " + describe(policy));
        JsonNode plan = view.path("plan");
        Table kept = new Table("Kept restore point", "Job", "Rule");
        plan.path("kept").forEach(point -> kept.row(point.path("checkpoint").asText("-"), point.path("jobId").asText(),
                point.path("rule").asText()));
        List<String> lines = new ArrayList<>(kept.lines());
        if (!plan.path("merges").isEmpty()) {
            Table merges = new Table("Would merge into", "Expired link", "New base");
            plan.path("merges").forEach(step -> merges.row(step.path("artifact").asText(),
                    step.path("expiredArtifact").asText(), step.path("newIncrementalFrom").asText("(none: a full)")));
            lines.add("");
            lines.addAll(merges.lines());
        }
        if (!plan.path("deletions").isEmpty()) {
            Table deletions = new Table("Would delete", "Checkpoint", "Size", "Path");
            plan.path("deletions").forEach(gone -> deletions.row(gone.path("artifact").asText(),
                    gone.path("checkpoint").asText("-"), gone.path("size").isNumber()
                            ? Bytes.of(gone.path("size").asLong()) : "?", gone.path("path").asText()));
            lines.add("");
            lines.addAll(deletions.lines());
        }
        Table next = new Table("Disk", "Next push backup", "Why");
        plan.path("nextBackup").forEach(disk -> next.row(disk.path("disk").asText(),
                disk.path("full").asBoolean() ? "full" : "incremental", disk.path("detail").asText()));
        lines.add("");
        lines.addAll(next.lines());
        Print.lines(out, lines);
    }

    private static String describe(JsonNode policy) {
        List<String> parts = new ArrayList<>();
        add(parts, policy, "keepLast", "keep the last %d");
        add(parts, policy, "keepDaily", "the newest of %d days");
        add(parts, policy, "keepWeekly", "the newest of %d weeks");
        add(parts, policy, "fullEvery", "a full every %d incrementals");
        long maxChain = policy.path("maxChainBytes").asLong();
        if (maxChain > 0) {
            parts.add("a full once a chain passes " + Bytes.of(maxChain));
        }
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, JsonNode policy, String field, String format) {
        int value = policy.path(field).asInt();
        if (value > 0) {
            parts.add(format.formatted(value));
        }
    }
}
