package io.cairn.events.command;

import java.util.regex.Pattern;

/**
 * Ends a restore: an export (instant restore) stops serving and its key is deleted; a copy or thin restore still
 * running is aborted, and what it wrote is deleted. Answered by the restore's {@code restore-completed}, which then
 * carries this command's {@code commandId} (and the begin's in {@code beginCommandId}), as backup.abort is answered by
 * the job's backup-completed; an aborted restore's begin is refused with VIR_ERR_OPERATION_ABORTED.
 *
 * @param restoreId the export's restore id, as {@code restore-exported} named it
 */
public record RestoreEndCommand(String commandId, String domain, String restoreId) implements Command {

    public static final String TYPE = "restore.end";
    /** Restore ids are UUIDs; the agent accepts this shape. */
    public static final String RESTORE_ID_PATTERN = "^[A-Za-z0-9-]{1,64}$";
    private static final Pattern RESTORE_ID = Pattern.compile(RESTORE_ID_PATTERN);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        Identifiers.require(restoreId != null && RESTORE_ID.matcher(restoreId).matches(), "restoreId '"
                + Identifiers.shown(restoreId) + "' must be a restore id (letters, digits and '-', 1 to 64)");
    }
}
