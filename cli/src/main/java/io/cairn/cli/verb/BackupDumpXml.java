package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * virsh backup-dumpxml: the running backup's {@code <domainbackup>} with defaults filled in; with {@code --json} the
 * running job's JSON view instead (state, statistics, a pull's NBD export), as {@code domjobinfo --json} shows it.
 */
@Command(name = "backup-dumpxml", description = "Print the running backup job's XML (--json: the job's view)")
public class BackupDumpXml extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    protected int run(CairnApi api) {
        if (common.json) {
            Print.json(out, runningJob(api));
            return ExitCodes.OK;
        }
        String xml = api.getXml(Service.BACKUP, Domains.backup(domain));
        out.print(xml.endsWith("\n") ? xml : xml + "\n");
        return ExitCodes.OK;
    }

    /**
     * The domain's newest job while it has not ended (a domain has at most one such job, and none newer), else
     * libvirt's VIR_ERR_NO_DOMAIN_BACKUP as the XML answer gives it.
     */
    private JsonNode runningJob(CairnApi api) {
        JsonNode jobs = api.getJson(Service.BACKUP, Domains.backup(domain) + "/jobs?limit=1");
        if (jobs.isEmpty() || BackupBegin.isTerminal(jobs.get(0).path("state").asText())) {
            throw CliFailure.fromCairn("VIR_ERR_NO_DOMAIN_BACKUP", 104, "no domain backup job present");
        }
        return api.getJson(Service.BACKUP, Domains.job(jobs.get(0).path("jobId").asText()));
    }
}
