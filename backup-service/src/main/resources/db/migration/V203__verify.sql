-- Verify (backup.verify, and the scheduled one) runs as a restore of mode VERIFY: it checks the artifacts and writes
-- nothing, so it has no checkpoint when it covers every artifact of a domain, and ends with a verdict per artifact.
ALTER TABLE restore_job DROP CONSTRAINT restore_job_mode_check;
ALTER TABLE restore_job ADD CONSTRAINT restore_job_mode_check CHECK (mode IN ('COPY', 'THIN', 'VERIFY'));
ALTER TABLE restore_job ALTER COLUMN checkpoint DROP NOT NULL;
ALTER TABLE restore_job ADD COLUMN verdicts TEXT;

-- What the last verify found for an artifact: when, and its problem (null: intact). A damaged artifact makes every
-- restore point that needs it incomplete until a later verify finds it intact again.
ALTER TABLE backup_artifact ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE backup_artifact ADD COLUMN damage TEXT;
CREATE INDEX backup_artifact_unverified ON backup_artifact (verified_at NULLS FIRST) WHERE sha256 IS NOT NULL;
