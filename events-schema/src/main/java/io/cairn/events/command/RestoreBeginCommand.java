package io.cairn.events.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes disks of a domain back as they were at a checkpoint, from the backup catalog's restore point holding it:
 * every artifact's checksum is checked before it is used, and the result is checked against the chain after.
 * Answered by one {@code restore-completed} (or {@code command-rejected} when refused before a restore starts); an
 * {@code export} is answered by {@code restore-exported} once its NBD export serves, and ends later with a
 * {@code restore-completed} (the outcome of the {@code restore.end} that ended it, or on its own at its time-to-live).
 *
 * @param checkpoint the checkpoint whose state to restore; the latest completed backup holding it is used
 * @param mode       {@code copy} (default), {@code thin} or {@code export}
 * @param disks      the disks to restore and where; empty for every disk of the restore point, at default paths
 *                   (an export names disks only, it writes nothing)
 * @param ttl        export only: how long the export may stay (ISO-8601, e.g. {@code PT8H}); default
 *                   {@link #DEFAULT_EXPORT_TTL}, at most {@link #MAX_EXPORT_TTL}
 */
public record RestoreBeginCommand(
        String commandId,
        String domain,
        String checkpoint,
        RestoreMode mode,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RestoreTarget> disks,
        String ttl) implements Command {

    public static final String TYPE = "restore.begin";
    /** Image formats a restore writes. */
    public static final Set<String> FORMATS = Set.of("qcow2", "raw");
    /** A path longer than Linux's PATH_MAX cannot be opened anyway. */
    public static final int MAX_PATH_BYTES = 4096;
    /** More disks than any domain has; bounds the work one command can ask for. */
    public static final int MAX_DISKS = 256;
    /** How long an export stays when the command names no ttl: a working day to boot, check and copy what is needed. */
    public static final Duration DEFAULT_EXPORT_TTL = Duration.ofHours(24);
    /** An export holds its artifacts and a daemon; a week bounds what a forgotten one costs. */
    public static final Duration MAX_EXPORT_TTL = Duration.ofDays(7);

    public RestoreBeginCommand {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** A copy or thin restore (no ttl), as before exports existed. */
    public RestoreBeginCommand(String commandId, String domain, String checkpoint, RestoreMode mode,
            List<RestoreTarget> disks) {
        this(commandId, domain, checkpoint, mode, disks, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The mode, {@code copy} when the command names none. */
    public RestoreMode effectiveMode() {
        return mode == null ? RestoreMode.COPY : mode;
    }

    /** An export's time-to-live: the command's, or {@link #DEFAULT_EXPORT_TTL}. Call after {@link #validate()}. */
    public Duration effectiveTtl() {
        return ttl == null ? DEFAULT_EXPORT_TTL : Duration.parse(ttl);
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        Identifiers.requireCheckpointName("checkpoint", checkpoint);
        Identifiers.require(mode != RestoreMode.VERIFY, "mode 'verify' is backup.verify's: restore.begin writes "
                + "copy or thin images");
        Identifiers.require(mode != RestoreMode.REGISTER, "mode 'register' is backup.register's: restore.begin writes "
                + "copy or thin images");
        boolean export = effectiveMode() == RestoreMode.EXPORT;
        Identifiers.require(export || ttl == null, "ttl is for mode 'export' only: a copy or thin restore ends on its "
                + "own");
        if (ttl != null) {
            Duration parsed;
            try {
                parsed = Duration.parse(ttl);
            } catch (DateTimeParseException e) {
                parsed = null;
            }
            Identifiers.require(parsed != null && !parsed.isNegative() && !parsed.isZero()
                    && parsed.compareTo(MAX_EXPORT_TTL) <= 0, "ttl '" + Identifiers.shown(ttl)
                    + "' must be an ISO-8601 duration above zero and at most " + MAX_EXPORT_TTL + " (e.g. PT8H)");
        }
        Identifiers.require(disks.size() <= MAX_DISKS, "at most " + MAX_DISKS + " disks per restore");
        Set<String> seen = new HashSet<>();
        for (RestoreTarget disk : disks) {
            Identifiers.require(disk != null && disk.name() != null && !disk.name().isBlank()
                    && disk.name().length() <= 255, "every restored disk needs a name (1 to 255 characters)");
            Identifiers.require(seen.add(disk.name()), "disk '" + Identifiers.shown(disk.name())
                    + "' is named twice");
            Identifiers.require(!export || (disk.path() == null && disk.format() == null), "an export writes "
                    + "nothing: disk '" + disk.name() + "' takes no path or format");
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
