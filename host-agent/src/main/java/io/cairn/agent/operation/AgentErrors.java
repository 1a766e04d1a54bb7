package io.cairn.agent.operation;

import io.cairn.agent.qmp.QmpConnectException;
import io.cairn.agent.qmp.QmpConnectionLostException;
import io.cairn.agent.qmp.QmpErrorException;
import io.cairn.agent.qmp.QmpTimeoutException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.concurrent.CompletionException;

/** Translates what can go wrong in an operation into the libvirt error the user would have got from libvirt. */
public final class AgentErrors {

    private AgentErrors() {
    }

    public static CairnException toCairn(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CairnException cairn) {
            return cairn;
        }
        if (cause instanceof QmpErrorException qmp) {
            // libvirt passes QEMU's error text through unchanged, as VIR_ERR_INTERNAL_ERROR
            // "unable to execute QEMU command '<cmd>': <desc>" (qemuMonitorJSONCheckErrorFull).
            return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR,
                    "unable to execute QEMU command '%s': %s".formatted(qmp.command(), qmp.desc()), qmp);
        }
        if (cause instanceof QmpTimeoutException) {
            return new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, cause.getMessage(), cause);
        }
        if (cause instanceof QmpConnectionLostException || cause instanceof QmpConnectException) {
            // libvirt: "operation failed: domain is not running" once the monitor has gone away.
            return new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "domain is not running: " + cause.getMessage(), cause);
        }
        return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, String.valueOf(cause.getMessage()), cause);
    }

    public static CairnException noDisk(String disk) {
        // libvirt's words when a checkpoint or backup names a disk the domain does not have.
        return new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '%s'".formatted(disk));
    }
}
