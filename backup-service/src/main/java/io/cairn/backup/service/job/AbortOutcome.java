package io.cairn.backup.service.job;

/** What an abort request did, since aborting a queued job and a running one are different acts. */
public enum AbortOutcome {
    /** The job had not reached an agent; it is now CANCELLED and its queue place released. */
    CANCELLED_BEFORE_START,
    /** The agent runs the job: send it an abort; its report will end the job. */
    SEND_ABORT_TO_AGENT,
    /** An abort was already sent, by the user's own earlier abort command: this one is refused (the first is answered). */
    ALREADY_REQUESTED,
    /** An abort was already sent by the service (pull time-to-live), not by a user: this abort gets the answer. */
    ALREADY_REQUESTED_ANSWERS_THIS,
    /** The job had already ended; nothing changed. */
    ALREADY_ENDED
}
