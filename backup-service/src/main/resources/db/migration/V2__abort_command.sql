-- The user's backup.abort command whose abort ends a job: the job's backup-completed carries it as commandId (the
-- command that caused the event) and answers it; beginCommandId names the job's begin.
ALTER TABLE backup_job ADD COLUMN abort_command_id VARCHAR(200);
