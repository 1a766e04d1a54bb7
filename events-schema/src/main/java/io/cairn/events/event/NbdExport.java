package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disk as a pull backup exports it over NBD.
 *
 * @param disk          disk target, e.g. {@code vda}
 * @param exportName    the NBD export name to connect to
 * @param bitmap        incremental only: the exported dirty bitmap's name
 * @param bitmapContext incremental only: the NBD meta context to query for changed blocks,
 *                      {@code qemu:dirty-bitmap:<bitmap>}
 * @param uri           the NBD URI, e.g. {@code nbds://cairn@host:10809/vda} (a key-protected TCP server: add
 *                      {@code ?tls-psk-file=FILE}, see {@link NbdPsk}) or {@code nbd+unix:///vda?socket=/run/backup.sock}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NbdExport(String disk, String exportName, String bitmap, String bitmapContext, String uri) {

    /** QEMU's prefix for the NBD meta context of a dirty bitmap. */
    public static final String DIRTY_BITMAP_CONTEXT_PREFIX = "qemu:dirty-bitmap:";

    /** The meta context name a client queries to read the changed blocks of {@code bitmap}. */
    public static String bitmapContextOf(String bitmap) {
        return bitmap == null ? null : DIRTY_BITMAP_CONTEXT_PREFIX + bitmap;
    }
}
