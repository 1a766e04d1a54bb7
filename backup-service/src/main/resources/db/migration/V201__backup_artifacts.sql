-- The backup catalog: one row per disk of every completed push backup, written in the transaction that records the
-- job's completion. What a restore needs to find and trust the file: the checkpoint whose state it holds, the
-- checkpoint it is incremental from (null for a full backup), the file and format, and the agent's size and SHA-256
-- of the file's bytes as the job left them (null when the agent could not read it back, or predates the catalog).
CREATE TABLE backup_artifact (
    artifact_id      VARCHAR(300) PRIMARY KEY,
    job_id           VARCHAR(64)  NOT NULL REFERENCES backup_job (job_id),
    domain           VARCHAR(255) NOT NULL,
    host_id          VARCHAR(200) NOT NULL,
    disk             VARCHAR(200) NOT NULL,
    checkpoint       VARCHAR(255),
    incremental_from VARCHAR(255),
    mode             VARCHAR(8)   NOT NULL CHECK (mode IN ('PUSH', 'PULL')),
    path             TEXT         NOT NULL,
    format           VARCHAR(32)  NOT NULL,
    size_bytes       BIGINT,
    sha256           VARCHAR(64),
    completed_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT backup_artifact_one_per_job_disk UNIQUE (job_id, disk)
);

-- A domain's artifacts and restore points are read together, oldest first.
CREATE INDEX backup_artifact_domain ON backup_artifact (domain, completed_at, job_id);
