package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.ProgressBar;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import io.cairn.cli.rest.CommandOutcome;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * virsh backup-begin: start a push or pull backup, then (unless --async) follow its job with a progress bar until
 * it ends, exiting with the job's verdict.
 */
@Command(name = "backup-begin", description = "Start a backup job")
public class BackupBegin extends Verb {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--backupxml", paramLabel = "FILE", description = "<domainbackup> XML")
    Path backupXml;

    @Option(names = "--checkpointxml", paramLabel = "FILE", description = "<domaincheckpoint> XML to create with it")
    Path checkpointXml;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static class Mode {
        @Option(names = "--push", description = "Push mode: QEMU writes the targets (default)")
        boolean push;

        @Option(names = "--pull", description = "Pull mode: an NBD export to read (give its <server> in --backupxml)")
        boolean pull;
    }

    @Option(names = "--incremental", paramLabel = "CHECKPOINT", description = "Only what changed since CHECKPOINT")
    String incremental;

    @Option(names = "--checkpoint", paramLabel = "NAME", description = "Create checkpoint NAME with the backup")
    String checkpoint;

    @Option(names = "--reuse-external", description = "The targets or scratch files already exist")
    boolean reuseExternal;

    @Option(names = "--async", description = "Return once the job is accepted, without waiting for its end")
    boolean async;

    @Override
    protected void validate() {
        if (backupXml != null && (mode.push || mode.pull || incremental != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--backupxml already says the mode and the incremental base: drop --push/--pull/--incremental");
        }
        if (checkpointXml != null && checkpoint != null) {
            throw new ParameterException(spec.commandLine(), "give either --checkpointxml or --checkpoint");
        }
    }

    @Override
    protected int run(CairnApi api) {
        ObjectNode body = CairnApi.JSON.createObjectNode();
        body.put("backupXml", backupXml != null ? Domains.read(backupXml) : defaultBackupXml());
        if (checkpointXml != null) {
            body.put("checkpointXml", Domains.read(checkpointXml));
        } else if (checkpoint != null) {
            body.put("checkpointXml", "<domaincheckpoint><name>" + escape(checkpoint) + "</name></domaincheckpoint>");
        }
        if (reuseExternal) {
            body.putArray("flags").add("REUSE_EXTERNAL");
        }
        String commandId = Domains.newCommandId();
        CairnApi.Answer answer = api.post(Service.BACKUP, Domains.backup(domain), "application/json",
                body.toString(), commandId);
        String jobId = answer.json().path("jobId").asText(null);
        if (jobId == null) {
            jobId = CommandOutcome.await(api, Service.BACKUP, answer, commandId).path("jobId").asText(null);
        }
        if (async) {
            if (common.json) {
                Print.json(out, CairnApi.JSON.createObjectNode().put("commandId", commandId).put("jobId", jobId));
            } else {
                out.println("Backup started: job " + jobId + " (command " + commandId + ")");
            }
            return ExitCodes.OK;
        }
        if (!common.json) {
            out.println("Backup started: job " + jobId);
        }
        JsonNode job = follow(api, jobId);
        if (common.json) {
            Print.json(out, job);
        }
        return verdict(job);
    }

    private JsonNode follow(CairnApi api, String jobId) {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        boolean endpointShown = false;
        while (true) {
            JsonNode job = api.getJson(Service.BACKUP, Domains.job(jobId));
            if (!endpointShown && job.hasNonNull("nbd") && !common.json) {
                out.println("NBD export: " + job.get("nbd"));
                endpointShown = true;
            }
            bar.update(job, System.nanoTime());
            if (isTerminal(job.path("state").asText())) {
                bar.finish();
                return job;
            }
            ProgressBar.pauseBeforeRedraw();
        }
    }

    private int verdict(JsonNode job) {
        String state = job.path("state").asText();
        String error = job.path("error").asText("");
        switch (state) {
            case "COMPLETED" -> {
                if (!common.json) {
                    out.println("Backup completed");
                }
                return ExitCodes.OK;
            }
            case "CANCELLED" -> throw new CliFailure("VIR_ERR_OPERATION_ABORTED", 78,
                    "backup job " + job.path("jobId").asText() + " was cancelled" + (error.isEmpty() ? "" : ": " + error),
                    ExitCodes.CAIRN_ERROR);
            default -> throw new CliFailure("VIR_ERR_OPERATION_FAILED", 9,
                    "backup job " + job.path("jobId").asText() + " failed" + (error.isEmpty() ? "" : ": " + error),
                    ExitCodes.CAIRN_ERROR);
        }
    }

    static boolean isTerminal(String state) {
        return "COMPLETED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }

    private String defaultBackupXml() {
        String tag = "<domainbackup mode='" + (mode.pull ? "pull" : "push") + "'";
        return incremental == null ? tag + "/>"
                : tag + "><incremental>" + escape(incremental) + "</incremental></domainbackup>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

}
