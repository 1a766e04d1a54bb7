package io.cairn.backup.service.job;

/** Whether a service-side decision (fail, cancel, start) changed the job or met a job that had already ended. */
public enum TransitionOutcome {
    APPLIED,
    /** The job had already ended; its end state is final, so nothing changed. */
    ALREADY_ENDED
}
