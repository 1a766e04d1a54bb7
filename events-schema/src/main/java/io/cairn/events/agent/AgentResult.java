package io.cairn.events.agent;

import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * The one answer to an {@link AgentRequest}: success, or the libvirt-style error; with per-bitmap findings for
 * validate and measure.
 */
public record AgentResult(String requestId, String hostId, String domain, String requestType, boolean success,
        ErrorInfo error, List<BitmapCheck> bitmaps, Instant time) implements AgentReport {
    public static final String TYPE = "result";

    public AgentResult {
        bitmaps = bitmaps == null ? List.of() : List.copyOf(bitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
