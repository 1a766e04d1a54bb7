package io.cairn.backup.rest;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import java.time.Instant;
import java.util.List;

/**
 * A restore (or verify) as REST shows it: the plan (per disk the chain and, for a restore, the image to write), how
 * far it is, and its verdict: the images written, or a verify's verdict per artifact.
 *
 * @param state     STARTING (asked of its agent), RUNNING, EXPORTED (an export serving), COMPLETED or FAILED
 * @param expiresAt an export: when its ttl ends it
 * @param nbd       an export while it serves: where to connect (its key only for operators and admins)
 */
public record RestoreJobView(String restoreId, String commandId, String domain, String hostId, String checkpoint,
        RestoreMode mode, String state, long bytesTotal, long bytesDone, Instant requestedAt, Instant endedAt,
        List<PlannedDisk> disks, List<RestoredDisk> restored, List<ArtifactVerdict> verdicts, ErrorInfo error,
        Instant expiresAt, NbdEndpoint nbd) {

    /** One disk's plan: the image to write, and the artifacts (full first) it comes from. */
    public record PlannedDisk(String disk, String target, String format, List<String> chain) {
        static PlannedDisk of(DiskRestorePlan plan) {
            return new PlannedDisk(plan.disk(), plan.target(), plan.format(),
                    plan.chain().stream().map(RestoreLink::path).toList());
        }
    }

    public static RestoreJobView of(RestoreJob job) {
        return new RestoreJobView(job.restoreId(), job.commandId(), job.domain(), job.hostId(), job.checkpoint(),
                job.mode(), job.state().name(), job.bytesTotal(), job.bytesDone(), job.requestedAt(),
                job.endedAt().orElse(null), job.plan().stream().map(PlannedDisk::of).toList(), job.result(),
                job.verdicts(), job.error().orElse(null), job.expiresAt().orElse(null), null);
    }

    RestoreJobView withNbd(NbdEndpoint endpoint) {
        return new RestoreJobView(restoreId, commandId, domain, hostId, checkpoint, mode, state, bytesTotal,
                bytesDone, requestedAt, endedAt, disks, restored, verdicts, error, expiresAt, endpoint);
    }
}
