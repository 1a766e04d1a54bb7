package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** virsh checkpoint-create (and checkpoint-create-as's --name/--description): POST a checkpoint, wait for it. */
@Command(name = "checkpoint-create", description = "Create a checkpoint from XML or from a name and description")
public class CheckpointCreate extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @ArgGroup(exclusive = true)
    Definition definition = new Definition();

    static class Definition {
        @Option(names = "--xmlfile", paramLabel = "FILE", description = "<domaincheckpoint> XML")
        Path xmlfile;

        @ArgGroup(exclusive = false)
        NameAndDescription named;
    }

    static class NameAndDescription {
        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;
    }

    @Option(names = "--redefine", description = "Redefine metadata of an existing checkpoint (admin)")
    boolean redefine;

    @Option(names = "--redefine-validate", description = "With --redefine: check the bitmaps exist (admin)")
    boolean redefineValidate;

    @Option(names = "--quiesce", description = "Freeze the guest's file systems through its QEMU guest agent while "
            + "the bitmaps start, then thaw (the domain needs a guest-agent channel with qemu-ga answering in the "
            + "guest; otherwise refused: 74 not configured, 86 not responding)")
    boolean quiesce;

    @Override
    protected int run(CairnApi api) {
        List<String> flags = new ArrayList<>();
        if (redefine) {
            flags.add("REDEFINE");
        }
        if (redefineValidate) {
            flags.add("REDEFINE_VALIDATE");
        }
        if (quiesce) {
            flags.add("QUIESCE");
        }
        String commandId = Domains.newCommandId();
        String path = Domains.checkpoints(domain) + Domains.flags(flags);
        CairnApi.Answer answer;
        if (definition.xmlfile != null) {
            answer = api.post(Service.CHECKPOINT, path, "application/xml", Domains.read(definition.xmlfile), commandId);
        } else {
            ObjectNode body = CairnApi.JSON.createObjectNode();
            if (definition.named != null && definition.named.name != null) {
                body.put("name", definition.named.name);
            }
            if (definition.named != null && definition.named.description != null) {
                body.put("description", definition.named.description);
            }
            answer = api.post(Service.CHECKPOINT, path, "application/json", body.toString(), commandId);
        }
        JsonNode outcome = CommandOutcome.await(api, Service.CHECKPOINT, answer, commandId);
        if (common.json) {
            Print.json(out, outcome);
        } else {
            out.println("Domain checkpoint " + outcome.at("/checkpoint/name").asText() + " "
                    + (redefine ? "defined" : "created"));
        }
        return ExitCodes.OK;
    }

}
