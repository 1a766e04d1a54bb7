package io.cairn.events.agent;

import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * A retention run's state on its host, sent after every step and at its end: the merges and deletions done so far
 * (the whole list each time, so a lost report is made good by the next). {@code sequence} grows per run.
 */
public record RetentionJobReport(String runId, String hostId, String domain, long sequence, RestoreJobState state,
        List<MergedFile> merged, List<String> deleted, ErrorInfo error, Instant time) implements AgentReport {
    public static final String TYPE = "retention-job";

    public RetentionJobReport {
        merged = merged == null ? List.of() : List.copyOf(merged);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
