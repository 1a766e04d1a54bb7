package io.cairn.core.failure;

/** The one classification every consumer and handler applies to a failure, so each kind is treated alike. */
public enum FailureClass {
    /**
     * Something the service depends on is briefly away or raced it (database restarting, broker unreachable, a lost
     * version check, another replica still working on the same command): try again with bounded backoff.
     */
    TRANSIENT,
    /** The input or the state says no (libvirt's error, a contract violation): answer at once, never retry. */
    PERMANENT,
    /** A record that cannot be read or attributed to a command at all: dead-lettered with its reason. */
    POISON
}
