package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A backup job ended; the last event of the job.
 *
 * @param jobId      the job from {@link BackupStartedEvent#jobId()}
 * @param status     completed, failed or cancelled
 * @param success    libvirt's {@code success}: true only when every disk's data is complete
 * @param errmsg     libvirt's {@code errmsg} when the job failed
 * @param statistics the job's final statistics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupCompletedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String jobId,
        BackupCompletionStatus status,
        boolean success,
        String errmsg,
        BackupStatistics statistics) implements CairnEvent {

    public static final String TYPE = "backup-completed";

    @Override
    public String type() {
        return TYPE;
    }
}
