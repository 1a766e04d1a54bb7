package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The domain's backup jobs, newest first (no virsh twin: libvirt keeps no job history). */
@Command(name = "backup-list", description = "List a domain's backup jobs, newest first")
public class BackupList extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N jobs (max 100)")
    int limit;

    @Override
    protected int run(CairnApi api) {
        JsonNode jobs = api.getJson(Service.BACKUP, Domains.backup(domain) + "/jobs?limit=" + limit);
        if (common.json) {
            Print.json(out, jobs);
            return ExitCodes.OK;
        }
        Table table = new Table("Job ID", "Mode", "State", "Requested", "Processed", "Error");
        for (JsonNode job : jobs) {
            JsonNode stats = job.path("statistics");
            String processed = stats.has("disk_total")
                    ? Bytes.of(stats.path("disk_processed").asLong()) + " / " + Bytes.of(stats.get("disk_total").asLong())
                    : stats.has("disk_temp_used") ? Bytes.of(stats.get("disk_temp_used").asLong()) + " scratch" : "-";
            table.row(job.path("jobId").asText(), job.path("mode").asText().toLowerCase(java.util.Locale.ROOT),
                    job.path("state").asText(), Print.instant(job.path("requestedAt")), processed,
                    job.path("error").asText(null));
        }
        Print.lines(out, table.lines());
        return ExitCodes.OK;
    }
}
