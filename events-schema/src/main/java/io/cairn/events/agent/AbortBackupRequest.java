package io.cairn.events.agent;

/** Ends a running backup job (the normal end of a pull backup); its end is reported as a job report. */
public record AbortBackupRequest(String requestId, String hostId, String domain, String jobId)
        implements AgentRequest {
    public static final String TYPE = "backup.abort";

    @Override
    public String type() {
        return TYPE;
    }
}
