-- backup.register runs as a restore of mode REGISTER: its agent checks and digests a pull backup's outputs, writing
-- nothing, and its completion records them in the catalog as artifacts of that pull job (job_id).
ALTER TABLE restore_job DROP CONSTRAINT restore_job_mode_check;
ALTER TABLE restore_job ADD CONSTRAINT restore_job_mode_check
    CHECK (mode IN ('COPY', 'THIN', 'VERIFY', 'EXPORT', 'REGISTER'));
ALTER TABLE restore_job ADD COLUMN job_id VARCHAR(64);
