package io.cairn.events.command;

import java.util.List;

/**
 * The bitmap names Cairn's host agent and libvirt keep for their own temporary bitmaps, refused as users' names:
 * the agent's reconciler deletes every idle bitmap so named, so a checkpoint with one would lose its bitmap.
 */
public final class ReservedNames {
    /** The agent's and libvirt's backup bitmaps and jobs ({@code backup-vda}; host-agent's BackupNames.JOB_PREFIX). */
    public static final String BACKUP_PREFIX = "backup-";
    /** libvirt's scratch bitmaps ({@code libvirt-tmp-size-xml}, {@code libvirt-tmp-activewrite}), the agent's too. */
    public static final String LIBVIRT_TMP_PREFIX = "libvirt-tmp-";
    public static final List<String> PREFIXES = List.of(BACKUP_PREFIX, LIBVIRT_TMP_PREFIX);

    private ReservedNames() {
    }

    public static boolean isReserved(String name) {
        return name != null && PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The bitmap libvirt and the agent export for a pull backup's incremental disk when the user names none. */
    public static String defaultExportBitmap(String disk) {
        return BACKUP_PREFIX + disk;
    }

    /** A checkpoint name, or a checkpoint disk's bitmap name (the checkpoint name is its bitmap's by default). */
    static void requireUnreserved(String field, String name) {
        Identifiers.require(!isReserved(name), field + " '" + Identifiers.shown(name) + "' is reserved: names starting "
                + "with " + quotedPrefixes() + " belong to the temporary bitmaps of Cairn's host agent and libvirt, "
                + "which the agent deletes");
    }

    /**
     * A pull backup's export bitmap: the agent creates it under this name, so it keeps out of the reserved names
     * except for the very name the agent would choose for that disk ({@code backup-<disk>}), which libvirt's
     * {@code <domainbackup>} shows and a user may send back unchanged.
     */
    static void requireUsableExportBitmap(String disk, String bitmap) {
        Identifiers.require(!isReserved(bitmap) || bitmap.equals(defaultExportBitmap(disk)), "disk " + Identifiers.shown(disk)
                + ": exportbitmap '" + Identifiers.shown(bitmap) + "' is reserved: names starting with "
                + quotedPrefixes() + " belong to the temporary bitmaps of Cairn's host agent and libvirt (only '"
                + Identifiers.shown(defaultExportBitmap(disk)) + "', the default, may be given)");
    }

    private static String quotedPrefixes() {
        return "'" + String.join("' or '", PREFIXES) + "'";
    }
}
