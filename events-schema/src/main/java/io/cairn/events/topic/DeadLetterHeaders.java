package io.cairn.events.topic;

/**
 * Headers on a dead-lettered command record. They are the names SmallRye Reactive Messaging's
 * dead-letter-queue failure strategy writes, so Cairn's services need no code of their own to produce them.
 */
public final class DeadLetterHeaders {
    /** Why the record could not be processed (the exception message). */
    public static final String REASON = "dead-letter-reason";
    /** The underlying cause's message, when there is one. */
    public static final String CAUSE = "dead-letter-cause";
    /** Topic, partition and offset the record was read from. */
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetterHeaders() {
    }
}
