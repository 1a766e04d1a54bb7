package io.cairn.backup.rest;

import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionWork;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.MergedArtifactEntry;
import io.cairn.events.event.PrunedArtifactEntry;
import java.time.Instant;
import java.util.List;

/**
 * A retention run as REST shows it: its planned work, what its agent has done so far, and how it ended.
 *
 * @param state PENDING (waiting for its domain's other work to end), RUNNING, COMPLETED or FAILED
 * @param work  what it does; null while PENDING (it is planned when it starts)
 */
public record RetentionRunView(String runId, String commandId, String domain, String hostId, String state,
        Instant requestedAt, Instant endedAt, RetentionWork work, List<MergedArtifactEntry> merged,
        List<PrunedArtifactEntry> deleted, ErrorInfo error) {

    static RetentionRunView of(RetentionRun run) {
        return new RetentionRunView(run.runId(), run.commandId(), run.domain(), run.hostId(), run.state().name(),
                run.requestedAt(), run.endedAt().orElse(null), run.work().orElse(null), run.merged(), run.deleted(),
                run.error().orElse(null));
    }
}
