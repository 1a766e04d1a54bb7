package io.cairn.checkpoint.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.xml.CheckpointXml;
import java.util.List;

/**
 * A checkpoint as the REST API shows it in JSON: libvirt's definition (its domain without secrets: JSON has no SECURE
 * flag; the XML form with {@code flags=SECURE} shows them to operators) plus Cairn's health verdict.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CheckpointView(CheckpointDefinition checkpoint, String health, List<BrokenBitmap> brokenDisks) {
    private static final CheckpointXml XML = new CheckpointXml();

    static CheckpointView of(Checkpoint checkpoint) {
        return new CheckpointView(XML.withoutSecrets(checkpoint.definition()),
                checkpoint.health().status().name().toLowerCase(),
                checkpoint.health().brokenDisks());
    }
}
