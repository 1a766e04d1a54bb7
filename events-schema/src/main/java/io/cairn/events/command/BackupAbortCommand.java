package io.cairn.events.command;

/** Ends the domain's running backup job ({@code virDomainAbortJob}), cleaning up its scratch and NBD export. */
public record BackupAbortCommand(String commandId, String domain) implements Command {

    public static final String TYPE = "backup.abort";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
    }
}
