package io.cairn.events.command;

/**
 * Applies the domain's retention policy now: restore points the policy no longer keeps are pruned, their artifacts
 * merged into the kept ones that stand on them or deleted, so every kept restore point still restores exactly as
 * before. backup-service also applies it after each completed push backup of a domain that has a policy. Answered
 * by one {@code retention-applied}.
 */
public record RetentionApplyCommand(String commandId, String domain) implements Command {

    public static final String TYPE = "retention.apply";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
    }
}
