package io.cairn.events.agent;

import io.cairn.events.model.RestoreMode;

/**
 * Ends a restore on its host. An export ({@code mode} export, or absent as from services before restore aborts
 * existed): the agent stops its NBD export and reports the restore COMPLETED; one the agent does not know (it
 * restarted, and its reconciler stopped the daemon) is reported ended too, so the service never keeps an export that
 * nothing serves. A copy or thin restore still running is aborted: its qemu-img is killed, what it created is deleted,
 * and it is reported FAILED with VIR_ERR_OPERATION_ABORTED; one the agent does not run (any more) is reported FAILED
 * as the last word. Undo work: sent without a start-by deadline.
 *
 * @param mode the mode of the restore to end; absent means export
 */
public record EndRestoreRequest(String requestId, String hostId, String domain, String restoreId, RestoreMode mode)
        implements AgentRequest {
    public static final String TYPE = "restore.end";

    /** Ends an export (what this request did before it could abort other restores). */
    public EndRestoreRequest(String requestId, String hostId, String domain, String restoreId) {
        this(requestId, hostId, domain, restoreId, null);
    }

    /** The restore's mode as the agent treats it: export when absent. */
    public RestoreMode modeOrExport() {
        return mode == null ? RestoreMode.EXPORT : mode;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
