package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** virsh domjobabort: abort the domain's backup job and wait for its backup-completed. */
@Command(name = "domjobabort", description = "Abort a domain's backup job")
public class DomJobAbort extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    protected int run(CairnApi api) {
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.delete(Service.BACKUP, Domains.backup(domain), commandId);
        JsonNode outcome = CommandOutcome.await(api, Service.BACKUP, answer, commandId);
        if (common.json) {
            Print.json(out, outcome);
        } else {
            out.println("Job " + outcome.path("jobId").asText() + " aborted: status " + outcome.path("status").asText()
                    + ", success " + outcome.path("success").asBoolean());
        }
        return ExitCodes.OK;
    }
}
