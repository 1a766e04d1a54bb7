package io.cairn.backup.service.job;

import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.BackupStatistics;
import java.time.Instant;

/**
 * The verdict libvirt's job-completed event carries (status, success, errmsg, final statistics), derived from the
 * job's end state so the published event can never disagree with the stored job.
 */
public record CompletionSummary(BackupCompletionStatus status, boolean success, String errmsg,
        BackupStatistics statistics) {

    /**
     * @param commandId      the command that ended the job: the abort that ended it, else its begin
     * @param beginCommandId the begin command that created the job
     */
    public BackupCompletedEvent toEvent(String eventId, Instant time, String domain, String commandId,
            String beginCommandId, String jobId) {
        return new BackupCompletedEvent(eventId, time, domain, commandId, jobId, status, success, errmsg, statistics,
                beginCommandId);
    }
}
