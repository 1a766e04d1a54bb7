package io.cairn.backup.service.restore;

/** What asking a restore to end (an export to stop serving, a copy or thin restore to abort) decided. */
public enum EndOutcome {
    /** Recorded: the agent is to stop it; its restore-completed answers the end. */
    SEND_TO_AGENT,
    /** The service's own end (its ttl) is on its way; that end's restore-completed answers this command too. */
    PENDING_END_ANSWERS_THIS,
    /** Another restore.end is on its way and its restore-completed answers that one: refused. */
    ALREADY_REQUESTED,
    /** A verify or a register: it only reads, and ends on its own. */
    NOT_ABORTABLE,
    /** Still being checked; it serves nothing yet. */
    NOT_SERVING_YET,
    /** It has ended already. */
    ALREADY_ENDED
}
