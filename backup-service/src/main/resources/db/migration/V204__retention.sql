-- Retention: a policy per domain, and the runs that apply it (a user's retention.apply, or the run after a push
-- backup). A run's work is planned when it starts and kept as JSON for its view and its outcome; what its agent
-- reported done so far (merged, deleted) is applied to the catalog as each report arrives.
CREATE TABLE retention_policy (
    domain          VARCHAR(255) PRIMARY KEY,
    keep_last       INTEGER      NOT NULL CHECK (keep_last >= 0),
    keep_daily      INTEGER      NOT NULL CHECK (keep_daily >= 0),
    keep_weekly     INTEGER      NOT NULL CHECK (keep_weekly >= 0),
    full_every      INTEGER      NOT NULL CHECK (full_every >= 0),
    max_chain_bytes BIGINT       NOT NULL CHECK (max_chain_bytes >= 0),
    updated_at      TIMESTAMPTZ  NOT NULL,
    updated_by      VARCHAR(255)
);

CREATE TABLE retention_run (
    run_id         VARCHAR(64)  PRIMARY KEY,
    command_id     VARCHAR(256) NOT NULL,
    domain         VARCHAR(255) NOT NULL,
    host_id        VARCHAR(200),
    state          VARCHAR(16)  NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    work           TEXT,
    merged         TEXT,
    deleted        TEXT,
    error          TEXT,
    last_sequence  BIGINT       NOT NULL DEFAULT 0,
    requested_at   TIMESTAMPTZ  NOT NULL,
    last_report_at TIMESTAMPTZ,
    ended_at       TIMESTAMPTZ,
    version        BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT retention_run_command_unique UNIQUE (command_id)
);
CREATE INDEX retention_run_domain ON retention_run (domain, requested_at);
CREATE INDEX retention_run_active ON retention_run (state) WHERE state IN ('PENDING', 'RUNNING');

-- A pruned artifact's file is gone: its row stays for the record (which run, when) but is no longer in the catalog.
ALTER TABLE backup_artifact ADD COLUMN pruned_at TIMESTAMPTZ;
ALTER TABLE backup_artifact ADD COLUMN pruned_by VARCHAR(64);
