package io.cairn.events.agent;

import io.cairn.events.model.RestoreMode;
import java.util.List;

/**
 * Starts a restore on the host holding the artifacts. The agent answers once it has accepted the plan (paths
 * confined to the domain's directory, targets new), then runs it and reports with {@link RestoreJobReport}s.
 */
public record StartRestoreRequest(String requestId, String hostId, String domain, String restoreId,
        RestoreMode mode, List<DiskRestorePlan> disks) implements AgentRequest {
    public static final String TYPE = "restore.start";

    public StartRestoreRequest {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
