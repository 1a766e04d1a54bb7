package io.cairn.backup.service;

import io.cairn.backup.service.job.BackupJob;

/** A job after a change was applied and saved, with what the change returned (an outcome to act on). */
public record JobChange<T>(BackupJob job, T result) {
}
