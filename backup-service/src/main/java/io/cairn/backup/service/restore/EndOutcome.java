package io.cairn.backup.service.restore;

/** What asking an export restore to end decided. */
public enum EndOutcome {
    /** Recorded: the agent is to stop it; its restore-completed answers the end. */
    SEND_TO_AGENT,
    /** The service's own end (its ttl) is on its way; that end's restore-completed answers this command too. */
    PENDING_END_ANSWERS_THIS,
    /** Another restore.end is on its way and its restore-completed answers that one: refused. */
    ALREADY_REQUESTED,
    /** Not an export: a copy, thin restore or verify ends on its own. */
    NOT_AN_EXPORT,
    /** Still being checked; it serves nothing yet. */
    NOT_SERVING_YET,
    /** It has ended already. */
    ALREADY_ENDED
}
