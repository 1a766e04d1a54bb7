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

/**
 * Ends a restore (restore.end): an export stops serving, a running copy or thin restore is aborted. Waits for the
 * restore's restore-completed, as domjobabort waits for a backup's.
 */
@Command(name = "restore-end", description = "End an export restore (its NBD export stops) or abort a running copy "
        + "or thin restore (what it wrote is deleted)")
public class RestoreEnd extends Verb {
    private static final String ABORTED = "VIR_ERR_OPERATION_ABORTED";

    @Parameters(index = "0", paramLabel = "RESTORE_ID")
    String restoreId;

    @Override
    protected int run(CairnApi api) {
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.restoreJob(restoreId) + "/end", "application/json",
                "", commandId);
        JsonNode outcome = CommandOutcome.await(api, Service.BACKUP, answer, commandId);
        boolean success = outcome.path("success").asBoolean();
        JsonNode error = outcome.path("error");
        // An abort the user asked for is the end they wanted, not a failure of this command.
        boolean aborted = !success && ABORTED.equals(error.path("code").asText());
        if (common.json) {
            Print.json(out, outcome);
        } else if (aborted) {
            out.println("Restore " + restoreId + " aborted; what it wrote is deleted");
        } else {
            out.println("Restore " + restoreId + " ended: success " + success);
        }
        if (!success && !aborted) {
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "restore " + restoreId + " ended failed: " + error.path("message").asText(),
                    ExitCodes.CAIRN_ERROR);
        }
        return ExitCodes.OK;
    }
}
