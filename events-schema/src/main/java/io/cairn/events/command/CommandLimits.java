package io.cairn.events.command;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The largest command Cairn accepts and the largest values its stored fields may hold, so that no accepted command
 * can lead to an event too large for Kafka: the outbox would have to park it and the sender would never be answered.
 */
public final class CommandLimits {
    /**
     * Kafka's default producer {@code max.request.size} (the broker's {@code message.max.bytes} is about the same):
     * the size every event, headers included, must stay under. The limits below leave it half free.
     */
    public static final int KAFKA_DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    /** A whole command as JSON: a record value on Kafka, or the command a REST request makes. */
    public static final int MAX_COMMAND_BYTES = 512 * 1024;

    /**
     * The {@code <domain>} a redefined checkpoint carries: a real domain definition is tens of KiB, one with
     * hundreds of devices about 100 KiB. Its escaped JSON in checkpoint-created stays under twice this.
     */
    public static final int MAX_DOMAIN_XML_BYTES = 256 * 1024;

    /** A {@code <domaincheckpoint>} document: room for the largest domain plus the name, description and disks. */
    public static final int MAX_CHECKPOINT_XML_BYTES = MAX_DOMAIN_XML_BYTES + 64 * 1024;

    /** A {@code <domainbackup>} document: a disk takes a few hundred bytes, so this is hundreds of disks. */
    public static final int MAX_BACKUP_XML_BYTES = 128 * 1024;

    /** A checkpoint's free-text description: pages of notes, or another tool's metadata. */
    public static final int MAX_DESCRIPTION_BYTES = 16 * 1024;

    /**
     * One limit as the contract documents it.
     *
     * @param fields   what it bounds, named as the refusal names it
     * @param maxBytes the most accepted, in UTF-8 bytes
     * @param note     why this much, for people
     */
    public record Limit(List<String> fields, int maxBytes, String note) {
    }

    private static final ObjectWriter COMMANDS = CairnJson.mapper().writerFor(Command.class);

    private CommandLimits() {
    }

    /** Every limit, in the order the README lists them. */
    public static List<Limit> all() {
        return List.of(
                new Limit(List.of("the command", "request body"), MAX_COMMAND_BYTES,
                        "the Kafka record value; over REST the JSON body and the command the request makes"),
                new Limit(List.of("checkpointXml"), MAX_CHECKPOINT_XML_BYTES,
                        "the largest domain XML with room for the name, description and disks"),
                new Limit(List.of("backupXml"), MAX_BACKUP_XML_BYTES, "hundreds of disks"),
                new Limit(List.of("checkpoint.domainXml", "checkpointXml <domain>"), MAX_DOMAIN_XML_BYTES,
                        "a real domain XML is tens of KiB, one with hundreds of devices about 100 KiB"),
                new Limit(List.of("checkpoint.description", "checkpointXml <description>"), MAX_DESCRIPTION_BYTES,
                        "pages of notes, or another tool's metadata"),
                new Limit(List.of("the checkpoint-created event", "the backup-started event"),
                        EventBudget.MAX_EVENT_BYTES, "measured from the settled plan before anything runs: Kafka's "
                        + "1 MiB less room for headers"));
    }

    /**
     * Refuses a command whose encoded size is over {@link #MAX_COMMAND_BYTES}.
     *
     * @throws CairnException VIR_ERR_INVALID_ARG with the size and the limit
     */
    public static void requireCommandSize(long bytes) {
        if (bytes > MAX_COMMAND_BYTES) {
            throw tooLarge("the command", bytes, MAX_COMMAND_BYTES);
        }
    }

    /** The command as Cairn's wire format encodes it: what a REST request would have sent to Kafka. */
    static void requireEncodedSize(Command command) {
        requireCommandSize(encodedSize(command));
    }

    /** A field's value (null is within every limit). */
    static void requireField(String field, String value, int maxBytes) {
        // A char is one to three UTF-8 bytes (a surrogate pair four for two): most values need no counting at all.
        if (value == null || (long) value.length() * 3 <= maxBytes) {
            return;
        }
        long bytes = utf8Length(value);
        if (bytes > maxBytes) {
            throw tooLarge(field, bytes, maxBytes);
        }
    }

    static long encodedSize(Command command) {
        return encodedSize(COMMANDS, command);
    }

    /** The size of a value in Cairn's wire format, counted rather than kept. */
    static long encodedSize(ObjectWriter writer, Object value) {
        CountingStream counter = new CountingStream();
        try {
            writer.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a counting stream never fails
        }
        return counter.count;
    }

    /** UTF-8 length without encoding: the limits are in bytes because events and Kafka's limit are. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // a lone surrogate becomes '?' or U+FFFD: never more than three
            }
        }
        return bytes;
    }

    private static CairnException tooLarge(String field, long bytes, int maxBytes) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, field + " is " + bytes
                + " bytes, more than the limit of " + maxBytes + " bytes");
    }

    /** Counts what Jackson writes instead of keeping it. */
    private static final class CountingStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
