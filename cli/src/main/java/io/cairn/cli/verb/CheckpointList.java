package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.CheckpointTree;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** virsh checkpoint-list: a domain's checkpoints as a table or a tree, filtered by libvirt's list flags. */
@Command(name = "checkpoint-list", description = "List a domain's checkpoints")
public class CheckpointList extends Verb {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--tree", description = "Show the checkpoints as a tree")
    boolean tree;

    @Option(names = "--roots", description = "Only checkpoints without a parent")
    boolean roots;

    @Option(names = "--leaves", description = "Only checkpoints without children")
    boolean leaves;

    @Option(names = "--no-leaves", description = "Only checkpoints with children")
    boolean noLeaves;

    @Option(names = "--parent", description = "Add a column with each checkpoint's parent")
    boolean parent;

    @Option(names = "--topological", description = "Parents before their children")
    boolean topological;

    @Override
    protected void validate() {
        if (tree && (roots || parent)) {
            throw new ParameterException(spec.commandLine(), "--tree cannot be combined with --roots or --parent");
        }
    }

    @Override
    protected int run(CairnApi api) {
        List<String> flags = new ArrayList<>();
        if (!tree) {
            add(flags, roots, "ROOTS");
            add(flags, leaves, "LEAVES");
            add(flags, noLeaves, "NO_LEAVES");
        }
        add(flags, topological || tree, "TOPOLOGICAL");
        JsonNode list = api.getJson(Service.CHECKPOINT, Domains.checkpoints(domain) + Domains.flags(flags));
        if (common.json) {
            Print.json(out, list);
        } else if (tree) {
            Print.lines(out, new CheckpointTree(list).lines());
        } else {
            Print.lines(out, table(list).lines());
        }
        return ExitCodes.OK;
    }

    private Table table(JsonNode list) {
        boolean unhealthy = false;
        for (JsonNode view : list) {
            unhealthy |= !"active".equals(view.path("health").asText("active"));
        }
        List<String> header = new ArrayList<>(List.of("Name", "Creation Time"));
        if (parent) {
            header.add("Parent");
        }
        if (unhealthy) {
            header.add("Health");
        }
        Table table = new Table(header.toArray(String[]::new));
        for (JsonNode view : list) {
            JsonNode checkpoint = view.path("checkpoint");
            List<String> row = new ArrayList<>(List.of(checkpoint.path("name").asText(),
                    Print.unixTime(checkpoint.path("creationTime"))));
            if (parent) {
                row.add(checkpoint.path("parent").asText("-"));
            }
            if (unhealthy) {
                row.add(view.path("health").asText("active"));
            }
            table.row(row.toArray(String[]::new));
        }
        return table;
    }

    private static void add(List<String> flags, boolean on, String flag) {
        if (on) {
            flags.add(flag);
        }
    }
}
