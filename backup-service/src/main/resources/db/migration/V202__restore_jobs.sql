-- Restores from the backup catalog: one row per accepted restore.begin, from the plan the service made (per disk the
-- chain of artifacts with their checksums and the image to write, as JSON) to the agent's verdict. A restore ends
-- COMPLETED or FAILED; its restore-completed is recorded with that change.
CREATE TABLE restore_job (
    restore_id            VARCHAR(64)  PRIMARY KEY,
    command_id            VARCHAR(256) NOT NULL CONSTRAINT restore_job_command_unique UNIQUE,
    domain                VARCHAR(255) NOT NULL,
    host_id               VARCHAR(200) NOT NULL,
    checkpoint            VARCHAR(255) NOT NULL,
    mode                  VARCHAR(8)   NOT NULL CHECK (mode IN ('COPY', 'THIN')),
    plan                  TEXT         NOT NULL,
    state                 VARCHAR(16)  NOT NULL CHECK (state IN ('STARTING', 'RUNNING', 'COMPLETED', 'FAILED')),
    bytes_total           BIGINT       NOT NULL DEFAULT 0,
    bytes_done            BIGINT       NOT NULL DEFAULT 0,
    last_sequence         BIGINT       NOT NULL DEFAULT -1,
    result                TEXT,
    error                 TEXT,
    requested_at          TIMESTAMPTZ  NOT NULL,
    last_report_at        TIMESTAMPTZ,
    progress_published_at TIMESTAMPTZ,
    ended_at              TIMESTAMPTZ,
    version               BIGINT       NOT NULL DEFAULT 0
);

-- A domain's restores, newest first; the sweeper's look at the ones still running.
CREATE INDEX restore_job_domain ON restore_job (domain, requested_at);
CREATE INDEX restore_job_active ON restore_job (state) WHERE state IN ('STARTING', 'RUNNING');
