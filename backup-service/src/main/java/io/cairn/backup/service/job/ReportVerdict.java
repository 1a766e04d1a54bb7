package io.cairn.backup.service.job;

/** What became of an agent report, so callers can log or count what was dropped and why. */
public enum ReportVerdict {
    APPLIED,
    /** The job already ended; its end state is final and a late or duplicate report cannot change it. */
    IGNORED_JOB_ENDED,
    /** The report's sequence is not newer than the last applied one: a redelivery or an overtaken report. */
    IGNORED_STALE_SEQUENCE,
    /** The report is about another job (e.g. an earlier job of the same domain). */
    IGNORED_OTHER_JOB,
    /** The job was never sent to an agent, so no agent can be reporting on it. */
    IGNORED_NOT_STARTED
}
