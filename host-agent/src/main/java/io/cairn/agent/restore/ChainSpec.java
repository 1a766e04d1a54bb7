package io.cairn.agent.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.List;

/**
 * A chain of artifacts as one QEMU image specification ({@code json:{...}}) that names every link's file, format and
 * backing explicitly, so QEMU never follows the files' own headers: an incremental's header may name a file that
 * does not exist, or (written by libvirt or an older Cairn) the live disk, which would silently mix today's data in.
 */
final class ChainSpec {
    /** qcow2 keeps a backing file name of at most 1023 bytes in its header. */
    static final int QCOW2_MAX_BACKING_NAME = 1023;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChainSpec() {
    }

    /** The chain, full first, as {@code json:{...}} naming the newest link with its backings below it. */
    static String of(List<RestoreLink> chainFullFirst) {
        if (chainFullFirst.isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "a restore chain needs at least one artifact");
        }
        ObjectNode below = null;
        for (int i = 0; i < chainFullFirst.size(); i++) {
            RestoreLink link = chainFullFirst.get(i);
            String format = formatOf(link);
            if (i > 0 && !"qcow2".equals(format)) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: "
                        + "artifact '" + link.path() + "' is " + format + " but stacked on another: only qcow2 "
                        + "can have a backing file");
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("driver", format);
            node.putObject("file").put("driver", "file").put("filename", link.path());
            if (below != null) {
                node.set("backing", below);
            } else if ("qcow2".equals(format)) {
                node.putNull("backing"); // the full stands alone, whatever its header says
            }
            below = node;
        }
        return "json:" + below;
    }

    /** The spec as a thin overlay's backing reference, if it fits in a qcow2 header. */
    static String asBackingReference(List<RestoreLink> chainFullFirst) {
        String spec = of(chainFullFirst);
        if (spec.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > QCOW2_MAX_BACKING_NAME) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "this function is not supported: "
                    + "a thin restore of a chain of " + chainFullFirst.size() + " artifacts needs a backing "
                    + "reference of " + spec.length() + " bytes, more than the " + QCOW2_MAX_BACKING_NAME
                    + " a qcow2 header holds; restore a copy instead");
        }
        return spec;
    }

    static String formatOf(RestoreLink link) {
        String format = link.format() == null ? "qcow2" : link.format();
        if (!"qcow2".equals(format) && !"raw".equals(format)) {
            throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: artifact '"
                    + link.path() + "' has format '" + format + "' (qcow2 or raw)");
        }
        return format;
    }
}
