-- service-core's schema, shared by both services (quarkus.flyway.locations lists db/core beside the
-- service's own db/migration). V10 (the outbox) kept the version it had when each service carried a copy; the
-- core's later changes take versions from 100 on.

-- A command is claimed before any side effect: a row without an outcome is a claim, held by the delivery whose
-- token it carries until its lease (processed_at + cairn.commands.claim-lease) runs out.
ALTER TABLE processed_command ALTER COLUMN outcome DROP NOT NULL;
ALTER TABLE processed_command ADD COLUMN claim_token VARCHAR(64);
-- Answered commands are pruned after cairn.commands.retention.
CREATE INDEX processed_command_answered_at ON processed_command (processed_at) WHERE outcome IS NOT NULL;

-- An event Kafka refuses for good (too large, unreadable) is parked with its reason instead of blocking the relay.
ALTER TABLE outbox_event ADD COLUMN parked_at TIMESTAMPTZ;
ALTER TABLE outbox_event ADD COLUMN park_reason VARCHAR(1000);
DROP INDEX outbox_event_pending;
CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL AND parked_at IS NULL;
-- Published events are pruned after cairn.commands.published-event-retention.
CREATE INDEX outbox_event_published_at ON outbox_event (published_at) WHERE published_at IS NOT NULL;
