package io.cairn.checkpoint.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import java.util.List;

/** A checkpoint as the REST API shows it in JSON: libvirt's definition plus Cairn's health verdict. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CheckpointView(CheckpointDefinition checkpoint, String health, List<BrokenBitmap> brokenDisks) {

    static CheckpointView of(Checkpoint checkpoint) {
        return new CheckpointView(checkpoint.definition(), checkpoint.health().status().name().toLowerCase(),
                checkpoint.health().brokenDisks());
    }
}
