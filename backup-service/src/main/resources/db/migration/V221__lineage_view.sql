-- backup-service's view of the domains' checkpoint lineages (checkpoint-service owns them), followed from
-- cairn.checkpoint.events: the names a backup.begin must not create again, as libvirt refuses a new checkpoint whose
-- name the domain already has ("domain moment %s already exists"), whether its bitmaps are healthy or broken.
CREATE TABLE lineage_checkpoint (
    domain     VARCHAR(255) NOT NULL,
    name       VARCHAR(255) NOT NULL,
    -- the checkpoint-created event that put it here
    event_id   VARCHAR(64)  NOT NULL,
    PRIMARY KEY (domain, name)
);
