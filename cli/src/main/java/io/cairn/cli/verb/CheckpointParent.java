package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** virsh checkpoint-parent: the name of a checkpoint's parent (a root has none: VIR_ERR_NO_DOMAIN_CHECKPOINT). */
@Command(name = "checkpoint-parent", description = "Print the name of a checkpoint's parent")
public class CheckpointParent extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "CHECKPOINT")
    String name;

    @Override
    protected int run(CairnApi api) {
        JsonNode parent = api.getJson(Service.CHECKPOINT, Domains.checkpoint(domain, name) + "/parent");
        if (common.json) {
            Print.json(out, parent);
        } else {
            out.println(parent.at("/checkpoint/name").asText());
        }
        return ExitCodes.OK;
    }
}
