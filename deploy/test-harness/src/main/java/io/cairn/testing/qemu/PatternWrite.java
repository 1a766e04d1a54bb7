package io.cairn.testing.qemu;

/** One qemu-io {@code write -P pattern offset length}: generated disk content that tests can replay and verify. */
public record PatternWrite(int pattern, long offset, long length) {

    public PatternWrite {
        if (pattern < 0 || pattern > 0xff) {
            throw new IllegalArgumentException("pattern is one byte: " + pattern);
        }
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
    }

    /** The qemu-io command text, e.g. {@code write -P 0xab 0 1048576}. */
    public String qemuIoCommand() {
        return String.format("write -P 0x%02x %d %d", pattern, offset, length);
    }
}
