-- Every command the service has applied, keyed by the sender's commandId: the same id twice has one effect,
-- and its recorded outcome is what a duplicate gets back.
CREATE TABLE processed_command (
    command_id   VARCHAR(200) PRIMARY KEY,
    domain       VARCHAR(200) NOT NULL,
    command_type VARCHAR(64)  NOT NULL,
    outcome      TEXT         NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX processed_command_domain ON processed_command (domain);

-- The order backup requests arrived in; waiting jobs are admitted in this order (timestamps can tie).
CREATE SEQUENCE backup_job_arrival_seq;

-- One backup job per row, from its request to its end; ended rows stay as the domain's backup history.
CREATE TABLE backup_job (
    job_id               VARCHAR(64)  PRIMARY KEY,
    domain               VARCHAR(200) NOT NULL,
    host_id              VARCHAR(200) NOT NULL,
    command_id           VARCHAR(200) NOT NULL,
    mode                 VARCHAR(8)   NOT NULL CHECK (mode IN ('PUSH', 'PULL')),
    state                VARCHAR(16)  NOT NULL
                         CHECK (state IN ('QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    arrival              BIGINT       NOT NULL,
    -- the aligned definition exactly as sent to the agent (events-schema BackupDefinition JSON)
    definition           JSONB        NOT NULL,
    -- the checkpoint created together with the backup (CheckpointDefinition JSON); null for none
    checkpoint_name      VARCHAR(200),
    checkpoint           JSONB,
    reuse_external       BOOLEAN      NOT NULL,
    -- per-disk state and progress as last reported, in disk order: {"disks": [{disk, state, processed, total, error}]}
    disks                JSONB        NOT NULL,
    -- libvirt's job statistics under libvirt's names (disk_total, disk_temp_used, time_elapsed, ...)
    statistics           JSONB,
    error                TEXT,
    requested_at         TIMESTAMPTZ  NOT NULL,
    started_at           TIMESTAMPTZ,
    ended_at             TIMESTAMPTZ,
    last_report_at       TIMESTAMPTZ,
    last_report_sequence BIGINT,
    abort_requested_at   TIMESTAMPTZ,
    last_progress_at     TIMESTAMPTZ,
    version              BIGINT       NOT NULL,
    CONSTRAINT backup_job_command_unique UNIQUE (command_id),
    CONSTRAINT backup_job_ended_iff_terminal
        CHECK ((state IN ('COMPLETED', 'FAILED', 'CANCELLED')) = (ended_at IS NOT NULL)),
    -- a job with an agent has a start time; one cancelled or failed while queued never started
    CONSTRAINT backup_job_started_with_agent CHECK (state NOT IN ('STARTING', 'RUNNING') OR started_at IS NOT NULL)
);

-- libvirt allows one backup job per domain: the database refuses a second active one even if two service
-- instances race.
CREATE UNIQUE INDEX backup_job_one_active_per_domain ON backup_job (domain)
    WHERE state IN ('QUEUED', 'STARTING', 'RUNNING');

-- A domain's backup history, newest first.
CREATE INDEX backup_job_domain_history ON backup_job (domain, requested_at DESC, job_id);

-- Rebuilding the admission queue and sweeping deadlines only ever reads active jobs, in arrival order.
CREATE INDEX backup_job_active_by_arrival ON backup_job (arrival)
    WHERE state IN ('QUEUED', 'STARTING', 'RUNNING');
CREATE INDEX backup_job_active_by_host ON backup_job (host_id)
    WHERE state IN ('QUEUED', 'STARTING', 'RUNNING');
