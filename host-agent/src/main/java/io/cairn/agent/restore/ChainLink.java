package io.cairn.agent.restore;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One backup artifact of a restore point's chain: its file and its format, as the catalog records them. The format is
 * always given, never probed, so a raw artifact whose first bytes happen to look like a qcow2 header is read as raw.
 *
 * @param path   absolute path of the artifact file
 * @param format {@code qcow2} or {@code raw}; only the full (the first link) may be raw, since raw has no backing
 */
public record ChainLink(Path path, String format) {

    public static final String QCOW2 = "qcow2";
    public static final String RAW = "raw";

    public ChainLink {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw invalid("chain link '" + path + "' is not an absolute path");
        }
        if (!QCOW2.equals(format) && !RAW.equals(format)) {
            throw invalid("chain link '" + path + "' has format '" + format + "'; only qcow2 and raw are exported");
        }
    }

    public static ChainLink qcow2(Path path) {
        return new ChainLink(path, QCOW2);
    }

    static CairnException invalid(String message) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, message);
    }
}
