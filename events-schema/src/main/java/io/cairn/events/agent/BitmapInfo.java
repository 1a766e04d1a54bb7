package io.cairn.events.agent;

/** A dirty bitmap exactly as QEMU reports it ({@code query-named-block-nodes}); count is dirty bytes. */
public record BitmapInfo(String name, boolean recording, boolean persistent, boolean inconsistent, boolean busy,
        long granularity, long count) {
}
