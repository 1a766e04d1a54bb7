package io.cairn.events.command;

import io.cairn.events.model.PullOutput;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells Cairn where a pull backup's client wrote the job's disks, so the files enter the backup catalog and restore,
 * verify and retention use them as they use a push backup's. The agent of the job's host checks each file (in the
 * domain's directory, of the declared format) and computes its size and SHA-256. Answered by one
 * {@code artifacts-registered} (or {@code command-rejected}).
 *
 * @param jobId the ended pull backup job whose outputs these are
 * @param disks per disk the job backed up: the file the client wrote and its format ({@code qcow2}, or {@code raw}
 *              for a full backup's output only)
 */
public record BackupRegisterCommand(String commandId, String domain, String jobId, List<PullOutput> disks)
        implements Command {

    public static final String TYPE = "backup.register";
    /** Formats an output may have; an incremental's must be qcow2 (only it can leave unchanged clusters out). */
    public static final Set<String> FORMATS = Set.of("qcow2", "raw");

    public BackupRegisterCommand {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        Identifiers.require(jobId != null && !jobId.isBlank() && jobId.length() <= 64,
                "jobId must name a backup job (1 to 64 characters)");
        Identifiers.require(!disks.isEmpty(), "disks must name at least one disk's output");
        Identifiers.require(disks.size() <= RestoreBeginCommand.MAX_DISKS,
                "at most " + RestoreBeginCommand.MAX_DISKS + " disks per registration");
        Set<String> seen = new HashSet<>();
        for (PullOutput disk : disks) {
            Identifiers.require(disk != null && disk.name() != null && !disk.name().isBlank()
                    && disk.name().length() <= 255, "every registered disk needs a name (1 to 255 characters)");
            Identifiers.require(seen.add(disk.name()), "disk '" + Identifiers.shown(disk.name()) + "' is named twice");
            Identifiers.require(disk.path() != null && disk.path().startsWith("/") && !disk.path().contains("\0")
                    && disk.path().length() <= RestoreBeginCommand.MAX_PATH_BYTES, "path '"
                    + Identifiers.shown(disk.path()) + "' of disk '" + disk.name() + "' must be an absolute path");
            Identifiers.require(disk.format() != null && FORMATS.contains(disk.format()), "format '"
                    + Identifiers.shown(disk.format()) + "' of disk '" + disk.name() + "' must be qcow2 or raw");
        }
        // Its artifacts-registered repeats the paths and adds under 1 KiB per disk (two checkpoint names, a
        // checksum): at most 512 KiB + 256 KiB, within EventBudget.MAX_EVENT_BYTES.
        CommandLimits.requireEncodedSize(this);
    }
}
