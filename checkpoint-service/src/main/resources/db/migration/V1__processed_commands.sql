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
