package io.cairn.backup.service;

import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.job.BackupJob;

/**
 * A job as the store holds it, with its admission ticket.
 *
 * @param created false when the command had already created this job (a redelivered begin command)
 */
public record StoredJob(BackupJob job, AdmissionTicket ticket, boolean created) {
}
