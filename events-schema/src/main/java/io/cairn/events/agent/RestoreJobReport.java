package io.cairn.events.agent;

import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.RestoredDisk;
import java.time.Instant;
import java.util.List;

/**
 * A restore's whole state as its agent sees it: sent while it runs (progress, and so a sign of life) and once when
 * it ends. {@code sequence} grows per restore so the service drops stale and duplicate reports. An export's reports
 * in state EXPORTED carry its endpoint ({@code nbd}, with the key); a restarted agent that stopped a dead one's
 * export reports its end with {@link #LAST_WORD}, which outranks whatever the dead agent had sent.
 */
public record RestoreJobReport(String restoreId, String hostId, String domain, long sequence, RestoreJobState state,
        long bytesTotal, long bytesDone, List<RestoredDisk> disks, ErrorInfo error, Instant time,
        List<ArtifactVerdict> verdicts, NbdEndpoint nbd) implements AgentReport {
    public static final String TYPE = "restore-job";
    /** The sequence of a report nothing may follow: an agent's end of a restore it did not start itself. */
    public static final long LAST_WORD = Long.MAX_VALUE;

    public RestoreJobReport {
        disks = disks == null ? List.of() : List.copyOf(disks);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /** A restore's report (a verify's carries its verdicts). */
    public RestoreJobReport(String restoreId, String hostId, String domain, long sequence, RestoreJobState state,
            long bytesTotal, long bytesDone, List<RestoredDisk> disks, ErrorInfo error, Instant time) {
        this(restoreId, hostId, domain, sequence, state, bytesTotal, bytesDone, disks, error, time, List.of(), null);
    }

    /** A restore's or verify's report (no export). */
    public RestoreJobReport(String restoreId, String hostId, String domain, long sequence, RestoreJobState state,
            long bytesTotal, long bytesDone, List<RestoredDisk> disks, ErrorInfo error, Instant time,
            List<ArtifactVerdict> verdicts) {
        this(restoreId, hostId, domain, sequence, state, bytesTotal, bytesDone, disks, error, time, verdicts, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
