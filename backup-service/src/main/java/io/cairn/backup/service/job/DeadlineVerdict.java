package io.cairn.backup.service.job;

/** What a job's lifetime bounds demand at a given instant. */
public enum DeadlineVerdict {
    /** Within its bounds. */
    NONE,
    /** A pull job outlived its time-to-live: it has been marked for abort; send the abort to the agent. */
    ABORT_PULL_EXPIRED,
    /** The agent stayed silent too long: the job has been failed. */
    FAILED_AGENT_SILENT
}
