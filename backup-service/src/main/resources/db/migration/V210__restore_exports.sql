-- Instant restore: a restore of mode EXPORT serves its chains over NBD (state EXPORTED) until a restore.end (whose
-- commandId its restore-completed answers) or its time-to-live (expires_at) ends it; end_requested_at is when an
-- end was asked of its agent, so it is asked once and again only if the agent has not stopped it.
ALTER TABLE restore_job DROP CONSTRAINT restore_job_mode_check;
ALTER TABLE restore_job ADD CONSTRAINT restore_job_mode_check CHECK (mode IN ('COPY', 'THIN', 'VERIFY', 'EXPORT'));
ALTER TABLE restore_job DROP CONSTRAINT restore_job_state_check;
ALTER TABLE restore_job ADD CONSTRAINT restore_job_state_check
    CHECK (state IN ('STARTING', 'RUNNING', 'EXPORTED', 'COMPLETED', 'FAILED'));
ALTER TABLE restore_job ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE restore_job ADD COLUMN end_command_id VARCHAR(256);
ALTER TABLE restore_job ADD COLUMN end_requested_at TIMESTAMPTZ;

-- The sweeper's look at restores not ended yet includes exports that serve.
DROP INDEX restore_job_active;
CREATE INDEX restore_job_active ON restore_job (state) WHERE state IN ('STARTING', 'RUNNING', 'EXPORTED');
