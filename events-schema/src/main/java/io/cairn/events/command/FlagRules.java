package io.cairn.events.command;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/**
 * libvirt's two flag checks its public API makes before any driver sees a call ({@code VIR_EXCLUSIVE_FLAGS_*} and
 * {@code VIR_REQUIRE_FLAG_*}), with their exact messages, so a command refused at the edge reads as libvirt's refusal.
 */
public final class FlagRules {
    private FlagRules() {
    }

    /** Both flags given: "Flags 'A' and 'B' are mutually exclusive" (VIR_ERR_INVALID_ARG). */
    public static CairnException exclusive(String first, String second) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "Flags '" + first + "' and '" + second + "' are mutually exclusive");
    }

    /** {@code flag} given without {@code required}: "Flag 'REQUIRED' is required by flag 'FLAG'". */
    public static CairnException required(String required, String flag) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "Flag '" + required + "' is required by flag '" + flag + "'");
    }
}
