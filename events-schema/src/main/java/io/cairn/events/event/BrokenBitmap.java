package io.cairn.events.event;

/**
 * One disk on which a checkpoint's bitmap is unusable.
 *
 * @param disk    disk target, e.g. {@code vda}
 * @param bitmap  the QEMU bitmap name the checkpoint expects
 * @param problem missing or inconsistent
 * @param message what was found, for people
 */
public record BrokenBitmap(String disk, String bitmap, BitmapProblem problem, String message) {
}
