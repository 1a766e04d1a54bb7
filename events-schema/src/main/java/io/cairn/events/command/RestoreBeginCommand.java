package io.cairn.events.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes disks of a domain back as they were at a checkpoint, from the backup catalog's restore point holding it:
 * every artifact's checksum is checked before it is used, and the result is checked against the chain after.
 * Answered by one {@code restore-completed} (or {@code command-rejected} when refused before a restore starts).
 *
 * @param checkpoint the checkpoint whose state to restore; the latest completed backup holding it is used
 * @param mode       {@code copy} (default) or {@code thin}
 * @param disks      the disks to restore and where; empty for every disk of the restore point, at default paths
 */
public record RestoreBeginCommand(
        String commandId,
        String domain,
        String checkpoint,
        RestoreMode mode,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RestoreTarget> disks) implements Command {

    public static final String TYPE = "restore.begin";
    /** Image formats a restore writes. */
    public static final Set<String> FORMATS = Set.of("qcow2", "raw");
    /** A path longer than Linux's PATH_MAX cannot be opened anyway. */
    public static final int MAX_PATH_BYTES = 4096;
    /** More disks than any domain has; bounds the work one command can ask for. */
    public static final int MAX_DISKS = 256;

    public RestoreBeginCommand {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The mode, {@code copy} when the command names none. */
    public RestoreMode effectiveMode() {
        return mode == null ? RestoreMode.COPY : mode;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        Identifiers.requireCheckpointName("checkpoint", checkpoint);
        Identifiers.require(mode != RestoreMode.VERIFY, "mode 'verify' is backup.verify's: restore.begin writes "
                + "copy or thin images");
        Identifiers.require(disks.size() <= MAX_DISKS, "at most " + MAX_DISKS + " disks per restore");
        Set<String> seen = new HashSet<>();
        for (RestoreTarget disk : disks) {
            Identifiers.require(disk != null && disk.name() != null && !disk.name().isBlank()
                    && disk.name().length() <= 255, "every restored disk needs a name (1 to 255 characters)");
            Identifiers.require(seen.add(disk.name()), "disk '" + Identifiers.shown(disk.name())
                    + "' is named twice");
            if (disk.path() != null) {
                Identifiers.require(disk.path().startsWith("/") && !disk.path().contains("\0")
                        && disk.path().length() <= MAX_PATH_BYTES, "path '" + Identifiers.shown(disk.path())
                        + "' of disk '" + disk.name() + "' must be an absolute path");
            }
            if (disk.format() != null) {
                Identifiers.require(FORMATS.contains(disk.format()), "format '" + Identifiers.shown(disk.format())
                        + "' of disk '" + disk.name() + "' must be qcow2 or raw");
                Identifiers.require(effectiveMode() != RestoreMode.THIN || "qcow2".equals(disk.format()),
                        "a thin restore writes qcow2 overlays: disk '" + disk.name() + "' cannot be raw");
            }
        }
        CommandLimits.requireEncodedSize(this);
    }
}
