package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Ends an export restore (restore.end) and waits for its restore-completed, as domjobabort waits for a backup's. */
@Command(name = "restore-end", description = "End an export restore (instant restore): its NBD export stops")
public class RestoreEnd extends Verb {
    @Parameters(index = "0", paramLabel = "RESTORE_ID")
    String restoreId;

    @Override
    protected int run(CairnApi api) {
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.restoreJob(restoreId) + "/end", "application/json",
                "", commandId);
        JsonNode outcome = CommandOutcome.await(api, Service.BACKUP, answer, commandId);
        if (common.json) {
            Print.json(out, outcome);
        } else {
            out.println("Restore " + restoreId + " ended: success " + outcome.path("success").asBoolean());
        }
        if (!outcome.path("success").asBoolean()) {
            JsonNode error = outcome.path("error");
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "export " + restoreId + " ended failed: " + error.path("message").asText(), ExitCodes.CAIRN_ERROR);
        }
        return ExitCodes.OK;
    }
}
