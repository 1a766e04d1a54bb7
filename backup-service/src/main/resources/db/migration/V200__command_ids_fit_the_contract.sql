-- As processed_command (db/core V101): a job's begin and abort commandIds may be 256 characters, a domain 255.
ALTER TABLE backup_job ALTER COLUMN command_id TYPE VARCHAR(256);
ALTER TABLE backup_job ALTER COLUMN abort_command_id TYPE VARCHAR(256);
ALTER TABLE backup_job ALTER COLUMN domain TYPE VARCHAR(255);
ALTER TABLE backup_job ALTER COLUMN checkpoint_name TYPE VARCHAR(255);
