package io.cairn.checkpoint.service.lineage;

import io.cairn.events.model.CheckpointDefinition;
import java.util.Objects;

/**
 * One node of a domain's lineage as stored: libvirt's definition plus what Cairn adds (health, who created it).
 *
 * @param definition the libvirt definition; its {@code parent} is the tree's parent link
 * @param health     whether the bitmaps still serve as an incremental base
 * @param createdBy  the commandId that created or last redefined it; null when unknown
 */
public record Checkpoint(CheckpointDefinition definition, CheckpointHealth health, String createdBy) {

    public Checkpoint {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(definition.name(), "definition.name");
        health = health == null ? CheckpointHealth.ACTIVE : health;
    }

    public String name() {
        return definition.name();
    }

    /** The parent's name, or null for a root. */
    public String parent() {
        return definition.parent();
    }

    public long creationTime() {
        return definition.creationTime() == null ? 0 : definition.creationTime();
    }

    Checkpoint withParent(String parent) {
        CheckpointDefinition d = definition;
        return new Checkpoint(new CheckpointDefinition(d.name(), d.description(), parent, d.creationTime(), d.disks(),
                d.domainXml()), health, createdBy);
    }

    Checkpoint withHealth(CheckpointHealth newHealth) {
        return new Checkpoint(definition, newHealth, createdBy);
    }
}
