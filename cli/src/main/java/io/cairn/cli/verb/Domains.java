package io.cairn.cli.verb;

import io.cairn.cli.rest.CairnApi;

/** The REST paths of a domain's checkpoints and backups, with names percent-encoded. */
final class Domains {
    private Domains() {
    }

    static String checkpoints(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/checkpoints";
    }

    static String checkpoint(String domain, String name) {
        return checkpoints(domain) + "/" + CairnApi.segment(name);
    }

    static String backup(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/backup";
    }

    static String restorePoints(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/restore-points";
    }

    static String artifacts(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/artifacts";
    }

    static String restore(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/restore";
    }

    static String verify(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/verify";
    }

    static String retention(String domain) {
        return "/api/v1/domains/" + CairnApi.segment(domain) + "/retention";
    }

    static String retentionRun(String runId) {
        return "/api/v1/retention/runs/" + CairnApi.segment(runId);
    }

    static String restoreJob(String restoreId) {
        return "/api/v1/restore/jobs/" + CairnApi.segment(restoreId);
    }

    static String job(String jobId) {
        return "/api/v1/backup/jobs/" + CairnApi.segment(jobId);
    }

    static String flags(java.util.List<String> flags) {
        return flags.isEmpty() ? "" : "?flags=" + String.join(",", flags);
    }

    static String newCommandId() {
        return "cli-" + java.util.UUID.randomUUID();
    }

    /** A file the user named (an XML definition); unreadable is virsh's system error, before anything is sent. */
    static String read(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new io.cairn.cli.CliFailure("VIR_ERR_SYSTEM_ERROR", 38, "failed to read file '" + file + "': "
                    + e.getMessage(), io.cairn.cli.ExitCodes.CAIRN_ERROR);
        }
    }
}
