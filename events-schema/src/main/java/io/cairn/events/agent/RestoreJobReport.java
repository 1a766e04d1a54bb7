package io.cairn.events.agent;

import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.RestoredDisk;
import java.time.Instant;
import java.util.List;

/**
 * A restore's whole state as its agent sees it: sent while it runs (progress, and so a sign of life) and once when
 * it ends. {@code sequence} grows per restore so the service drops stale and duplicate reports.
 */
public record RestoreJobReport(String restoreId, String hostId, String domain, long sequence, RestoreJobState state,
        long bytesTotal, long bytesDone, List<RestoredDisk> disks, ErrorInfo error, Instant time,
        List<ArtifactVerdict> verdicts) implements AgentReport {
    public static final String TYPE = "restore-job";

    public RestoreJobReport {
        disks = disks == null ? List.of() : List.copyOf(disks);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /** A restore's report (a verify's carries its verdicts). */
    public RestoreJobReport(String restoreId, String hostId, String domain, long sequence, RestoreJobState state,
            long bytesTotal, long bytesDone, List<RestoredDisk> disks, ErrorInfo error, Instant time) {
        this(restoreId, hostId, domain, sequence, state, bytesTotal, bytesDone, disks, error, time, List.of());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
