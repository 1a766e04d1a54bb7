package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One dirty bitmap on a block node, as query-named-block-nodes reports it. The name is optional because
 * block jobs add anonymous bitmaps; {@code count} is the dirty byte count rounded up to the granularity.
 */
public record DirtyBitmap(Optional<String> name, boolean recording, boolean persistent, boolean inconsistent,
        boolean busy, long granularity, long count) {

    static DirtyBitmap fromJson(JsonNode bitmap) {
        return new DirtyBitmap(
                QmpJson.optionalText(bitmap, "name"),
                bitmap.path("recording").asBoolean(),
                bitmap.path("persistent").asBoolean(),
                // QEMU sends "inconsistent" only when true (after a crash left the bitmap "in-use").
                bitmap.path("inconsistent").asBoolean(false),
                bitmap.path("busy").asBoolean(),
                bitmap.path("granularity").asLong(),
                bitmap.path("count").asLong());
    }

    public boolean hasName(String wanted) {
        return name.filter(wanted::equals).isPresent();
    }
}
