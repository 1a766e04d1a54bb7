package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.ProgressBar;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Verifies a domain's backup artifacts (backup.verify): re-read on their host against the catalog's checksums, the
 * restore point of CHECKPOINT or every artifact; prints each verdict and exits 1 when any artifact is not intact.
 */
@Command(name = "verify", description = "Re-read backup artifacts against their checksums")
public class Verify extends Verb {

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT",
            description = "The restore point to verify (default: every artifact of the domain)")
    String checkpoint;

    @Override
    protected int run(CairnApi api) {
        ObjectNode body = CairnApi.JSON.createObjectNode();
        if (checkpoint != null) {
            body.put("checkpoint", checkpoint);
        }
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.verify(domain), "application/json",
                body.toString(), commandId);
        String verifyId = answer.json().path("restoreId").asText(null);
        if (verifyId == null) {
            verifyId = CommandOutcome.await(api, Service.BACKUP, answer, commandId).path("verifyId").asText(null);
        }
        JsonNode verify = follow(api, verifyId);
        if (common.json) {
            Print.json(out, verify);
        } else {
            print(verify);
        }
        return verdict(verify);
    }

    private JsonNode follow(CairnApi api, String verifyId) {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        while (true) {
            JsonNode verify = api.getJson(Service.BACKUP, Domains.restoreJob(verifyId));
            String state = verify.path("state").asText();
            bar.update(state, verify.path("bytesDone").asLong(), verify.path("bytesTotal").asLong(),
                    System.nanoTime(), " read");
            if ("COMPLETED".equals(state) || "FAILED".equals(state)) {
                bar.finish();
                return verify;
            }
            ProgressBar.pauseBeforeRedraw();
        }
    }

    private void print(JsonNode verify) {
        Table table = new Table("Disk", "Artifact", "Verdict");
        for (JsonNode verdict : verify.path("verdicts")) {
            table.row(verdict.path("disk").asText(), verdict.path("path").asText(),
                    verdict.path("intact").asBoolean() ? "intact" : "NOT INTACT: " + verdict.path("problem").asText());
        }
        Print.lines(out, table.lines());
    }

    private int verdict(JsonNode verify) {
        if (!"COMPLETED".equals(verify.path("state").asText())) {
            JsonNode error = verify.path("error");
            throw new CliFailure(error.path("code").asText("VIR_ERR_OPERATION_FAILED"), error.path("number").asInt(9),
                    "verify " + verify.path("restoreId").asText() + " failed: " + error.path("message").asText(),
                    ExitCodes.CAIRN_ERROR);
        }
        long bad = 0;
        for (JsonNode verdict : verify.path("verdicts")) {
            if (!verdict.path("intact").asBoolean()) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new CliFailure("VIR_ERR_OPERATION_FAILED", 9, bad + " of " + verify.path("verdicts").size()
                    + " artifact(s) of " + domain + " are not intact", ExitCodes.CAIRN_ERROR);
        }
        return ExitCodes.OK;
    }
}
