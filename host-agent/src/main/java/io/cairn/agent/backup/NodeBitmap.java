package io.cairn.agent.backup;

/** A bitmap addressed the way QEMU needs it: by block node, not by disk. */
public record NodeBitmap(String node, String name) {
}
