package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** virsh checkpoint-delete: delete a checkpoint (or its descendants) and wait for the outcome. */
@Command(name = "checkpoint-delete", description = "Delete a checkpoint")
public class CheckpointDelete extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "CHECKPOINT")
    String name;

    @ArgGroup(exclusive = true)
    Children children = new Children();

    static class Children {
        @Option(names = "--children", description = "Also delete its descendants")
        boolean all;

        @Option(names = "--children-only", description = "Delete its descendants, keep the checkpoint")
        boolean only;
    }

    @Option(names = "--metadata", description = "Delete only the metadata, keep the bitmaps (admin)")
    boolean metadata;

    @Override
    protected int run(CairnApi api) {
        List<String> flags = new ArrayList<>();
        if (children.all) {
            flags.add("CHILDREN");
        }
        if (children.only) {
            flags.add("CHILDREN_ONLY");
        }
        if (metadata) {
            flags.add("METADATA_ONLY");
        }
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.delete(Service.CHECKPOINT,
                Domains.checkpoint(domain, name) + Domains.flags(flags), commandId);
        JsonNode outcome = CommandOutcome.await(api, Service.CHECKPOINT, answer, commandId);
        if (common.json) {
            Print.json(out, outcome);
        } else if (children.only) {
            out.println("Domain checkpoint " + name + " children deleted");
        } else {
            out.println("Domain checkpoint " + name + " deleted");
        }
        return ExitCodes.OK;
    }
}
