package io.cairn.events.event;

import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a verify (a user's backup.verify, or the scheduled one, whose commandId starts with
 * {@code scheduled-verify-}): per artifact intact or the problem. {@code success} is true only when the verify ran
 * and every artifact is intact; a damaged one also marks its restore points as not restorable.
 *
 * @param verifyId   the verify's id (a restore of mode verify: {@code GET /api/v1/restore/jobs/{verifyId}})
 * @param checkpoint the restore point verified; null when every artifact of the domain was
 * @param error      why the verify itself could not run to its end (its agent went silent); null otherwise
 */
public record VerifyCompletedEvent(String eventId, Instant time, String domain, String commandId, String verifyId,
        String hostId, String checkpoint, boolean success, ErrorInfo error, List<ArtifactVerdict> artifacts)
        implements CairnEvent {

    public static final String TYPE = "verify-completed";

    public VerifyCompletedEvent {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
