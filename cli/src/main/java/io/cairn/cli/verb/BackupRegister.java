package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Registers the files a pull backup's client wrote (backup.register), so they restore like push artifacts; waits
 * for artifacts-registered, since the agent reads every file first.
 */
@Command(name = "backup-register", description = "Register a pull backup's outputs in the backup catalog")
public class BackupRegister extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "JOB_ID")
    String jobId;

    @Option(names = "--disk", required = true, paramLabel = "NAME=PATH[:FORMAT]",
            description = "a disk's output file on the job's host; FORMAT qcow2 (default) or raw")
    List<String> disks = new ArrayList<>();

    @Override
    protected int run(CairnApi api) {
        JsonNode job = api.getJson(Service.BACKUP, Domains.job(jobId));
        if (!domain.equals(job.path("domain").asText())) {
            // The API finds the domain by the job; a job of another domain is not the one the user meant.
            throw new CliFailure("VIR_ERR_NO_DOMAIN_BACKUP", 104, "backup job " + jobId + " is not a job of domain "
                    + domain, ExitCodes.CAIRN_ERROR);
        }
        ObjectNode body = CairnApi.JSON.createObjectNode();
        ArrayNode outputs = body.putArray("disks");
        for (String disk : disks) {
            outputs.add(output(disk));
        }
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.job(jobId) + "/artifacts", "application/json",
                body.toString(), commandId);
        JsonNode outcome = CommandOutcome.await(api, Service.BACKUP, answer, commandId);
        if (common.json) {
            Print.json(out, outcome);
            return ExitCodes.OK;
        }
        Table table = new Table("Disk", "Checkpoint", "Incremental from", "Size", "SHA-256", "Path");
        for (JsonNode artifact : outcome.path("artifacts")) {
            table.row(artifact.path("disk").asText(), artifact.path("checkpoint").asText("-"),
                    artifact.path("incrementalFrom").asText("-"), Bytes.of(artifact.path("size").asLong()),
                    artifact.path("sha256").asText(), artifact.path("path").asText());
        }
        Print.lines(out, table.lines());
        return ExitCodes.OK;
    }

    /** {@code NAME=PATH[:FORMAT]}; a path may hold ':' itself, so only a known format after the last one counts. */
    static ObjectNode output(String spec) {
        int equals = spec.indexOf('=');
        if (equals <= 0 || equals == spec.length() - 1) {
            throw new CliFailure("VIR_ERR_INVALID_ARG", 8, "--disk '" + spec + "' is not NAME=PATH[:FORMAT]",
                    ExitCodes.USAGE);
        }
        String path = spec.substring(equals + 1);
        String format = "qcow2";
        int colon = path.lastIndexOf(':');
        if (colon > 0 && List.of("qcow2", "raw").contains(path.substring(colon + 1))) {
            format = path.substring(colon + 1);
            path = path.substring(0, colon);
        }
        return CairnApi.JSON.createObjectNode().put("name", spec.substring(0, equals)).put("path", path)
                .put("format", format);
    }
}
