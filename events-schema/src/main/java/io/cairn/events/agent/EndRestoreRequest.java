package io.cairn.events.agent;

/**
 * Ends an export restore on its host: the agent stops its NBD export and reports the restore COMPLETED. An export
 * the agent does not know (it restarted, and its reconciler stopped the daemon) is reported ended too, so the
 * service never keeps an export that nothing serves. Undo work: sent without a start-by deadline.
 */
public record EndRestoreRequest(String requestId, String hostId, String domain, String restoreId)
        implements AgentRequest {
    public static final String TYPE = "restore.end";

    @Override
    public String type() {
        return TYPE;
    }
}
