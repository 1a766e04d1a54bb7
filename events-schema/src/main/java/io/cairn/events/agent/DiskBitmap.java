package io.cairn.events.agent;

/** A named dirty bitmap on one disk of a domain, addressed by the disk's target name (e.g. {@code vda}). */
public record DiskBitmap(String disk, String bitmap) {
}
