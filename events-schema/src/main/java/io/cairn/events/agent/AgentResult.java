package io.cairn.events.agent;

import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * The one answer to an {@link AgentRequest}: success, or the libvirt-style error; with per-bitmap findings for
 * validate and measure, and for a quiesced bitmaps.add the number of file systems the guest agent froze.
 *
 * @param frozenFilesystems what {@code guest-fsfreeze-freeze} answered, for a successful bitmaps.add with quiesce
 *                          only (null otherwise: nothing was frozen)
 */
public record AgentResult(String requestId, String hostId, String domain, String requestType, boolean success,
        ErrorInfo error, List<BitmapCheck> bitmaps, Instant time,
        Integer frozenFilesystems) implements AgentReport {
    public static final String TYPE = "result";

    public AgentResult {
        bitmaps = bitmaps == null ? List.of() : List.copyOf(bitmaps);
    }

    /** An answer that froze nothing. */
    public AgentResult(String requestId, String hostId, String domain, String requestType, boolean success,
            ErrorInfo error, List<BitmapCheck> bitmaps, Instant time) {
        this(requestId, hostId, domain, requestType, success, error, bitmaps, time, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
