package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** virsh domjobinfo: the domain's latest backup job (or one job by id) with libvirt's statistics. */
@Command(name = "domjobinfo", description = "Show a domain's backup job: state and statistics")
public class DomJobInfo extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN", arity = "0..1")
    String domain;

    @Option(names = "--job", paramLabel = "ID", description = "This job instead of the domain's latest")
    String jobId;

    @Spec
    CommandSpec spec;

    @Override
    protected void validate() {
        if ((domain == null) == (jobId == null)) {
            throw new ParameterException(spec.commandLine(), "give either a DOMAIN or --job ID");
        }
    }

    @Override
    protected int run(CairnApi api) {
        JsonNode job;
        if (jobId != null) {
            job = api.getJson(Service.BACKUP, Domains.job(jobId));
        } else {
            JsonNode jobs = api.getJson(Service.BACKUP, Domains.backup(domain) + "/jobs?limit=1");
            if (jobs.isEmpty()) {
                if (common.json) {
                    Print.json(out, CairnApi.JSON.nullNode());
                } else {
                    out.println(String.format(Locale.ROOT, "%-17s %s", "Job type:", "None"));
                }
                return ExitCodes.OK;
            }
            job = api.getJson(Service.BACKUP, Domains.job(jobs.get(0).path("jobId").asText()));
        }
        if (common.json) {
            Print.json(out, job);
        } else {
            lines(job).forEach(out::println);
        }
        return ExitCodes.OK;
    }

    static List<String> lines(JsonNode job) {
        List<String> lines = new ArrayList<>();
        String state = job.path("state").asText();
        add(lines, "Job type:", capitalized(job.path("jobType").asText(jobType(state))));
        add(lines, "Operation:", capitalized(job.path("operation").asText("BACKUP")));
        add(lines, "Job ID:", job.path("jobId").asText());
        add(lines, "Domain:", job.path("domain").asText());
        add(lines, "Host:", job.path("hostId").asText("-"));
        add(lines, "Mode:", job.path("mode").asText().toLowerCase(Locale.ROOT));
        add(lines, "State:", state);
        JsonNode stats = job.path("statistics");
        if (stats.has("time_elapsed")) {
            add(lines, "Time elapsed:", stats.get("time_elapsed").asLong() + " ms");
        }
        bytes(lines, stats, "disk_processed", "File processed:");
        bytes(lines, stats, "disk_remaining", "File remaining:");
        bytes(lines, stats, "disk_total", "File total:");
        bytes(lines, stats, "disk_temp_used", "Temporary disk space use:");
        bytes(lines, stats, "disk_temp_total", "Temporary disk space total:");
        if (job.hasNonNull("queuePosition")) {
            add(lines, "Queue position:", job.get("queuePosition").toString());
        }
        for (JsonNode disk : job.path("disks")) {
            add(lines, "Disk " + disk.path("disk").asText() + ":", disk.path("state").asText() + "  "
                    + Bytes.of(disk.path("processed").asLong()) + " / " + Bytes.of(disk.path("total").asLong())
                    + (disk.hasNonNull("error") ? "  " + disk.get("error").asText() : ""));
        }
        if (job.hasNonNull("nbd")) {
            add(lines, "NBD export:", job.get("nbd").toString());
        }
        add(lines, "Requested:", Print.instant(job.path("requestedAt")));
        if (job.hasNonNull("endedAt")) {
            add(lines, "Ended:", Print.instant(job.path("endedAt")));
        }
        if (job.hasNonNull("error")) {
            add(lines, "Error:", job.get("error").asText());
        }
        return lines;
    }

    /** libvirt's job type for a service that does not say it yet: Unbounded while it runs, else its end. */
    private static String jobType(String state) {
        return switch (state) {
            case "COMPLETED", "FAILED", "CANCELLED" -> state;
            default -> "UNBOUNDED";
        };
    }

    /** As virsh prints libvirt's names: UNBOUNDED is "Unbounded". */
    private static String capitalized(String name) {
        return name.isEmpty() ? name : name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static void bytes(List<String> lines, JsonNode stats, String field, String label) {
        if (stats.has(field)) {
            add(lines, label, Bytes.of(stats.get(field).asLong()));
        }
    }

    private static void add(List<String> lines, String label, String value) {
        lines.add(String.format(Locale.ROOT, "%-27s %s", label, value));
    }
}
