package io.cairn.events.agent;

import java.util.List;

/**
 * Prunes backup files of one domain on the host holding them: the merge steps in order, then the deletions. The
 * agent answers once it has checked the orders (every file an artifact of the domain's directory) and reports the run
 * with {@link RetentionJobReport}s: one after each step, so the catalog follows every change as it happens.
 */
public record ApplyRetentionRequest(String requestId, String hostId, String domain, String runId,
        List<ArtifactMergeOrder> merges, List<ArtifactDeleteOrder> deletions) implements AgentRequest {
    public static final String TYPE = "retention.apply";

    public ApplyRetentionRequest {
        merges = merges == null ? List.of() : List.copyOf(merges);
        deletions = deletions == null ? List.of() : List.copyOf(deletions);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
