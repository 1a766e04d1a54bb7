package io.cairn.bench;

/** The benchmark cannot go on: Cairn or QEMU refused or did not answer; the message says which step and why. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
