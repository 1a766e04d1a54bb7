package io.cairn.events.agent;

/**
 * The agent's finding about one bitmap (validate and measure answers).
 *
 * @param valid   libvirt's chain rules hold: present, persistent, recording, not inconsistent
 * @param problem why not, when not valid: {@code missing}, {@code inconsistent}, {@code not-persistent},
 *                {@code not-recording}
 * @param size    dirty bytes since the bitmap was created (measure answers only)
 */
public record BitmapCheck(String disk, String bitmap, boolean valid, String problem, Long size) {
}
