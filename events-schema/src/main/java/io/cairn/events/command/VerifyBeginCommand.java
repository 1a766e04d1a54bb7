package io.cairn.events.command;

/**
 * Re-reads a domain's backup artifacts on their host and compares each with the size and SHA-256 the catalog
 * recorded: those of the restore point holding {@code checkpoint}, or every artifact of the domain. A damaged
 * artifact marks its restore points as not restorable. Answered by one {@code verify-completed}.
 *
 * @param checkpoint the restore point to verify; null for every artifact of the domain
 */
public record VerifyBeginCommand(String commandId, String domain, String checkpoint) implements Command {

    public static final String TYPE = "backup.verify";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        if (checkpoint != null) {
            Identifiers.requireCheckpointName("checkpoint", checkpoint);
        }
    }
}
