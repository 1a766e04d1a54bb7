-- Transactional outbox: an event is written in the same transaction as the state change it reports, and a relay
-- publishes it afterwards. A crash between the commit and the publish therefore loses nothing (the relay
-- publishes it after the restart); consumers deduplicate on eventId (ce_id), since delivery is at least once.
CREATE TABLE outbox_event (
    id           BIGSERIAL    PRIMARY KEY,
    topic        VARCHAR(200) NOT NULL,
    record_key   VARCHAR(255) NOT NULL,
    event_id     VARCHAR(64)  NOT NULL,
    event_type   VARCHAR(64)  NOT NULL,
    payload      TEXT         NOT NULL,
    headers      TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL;
