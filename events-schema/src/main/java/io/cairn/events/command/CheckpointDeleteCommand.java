package io.cairn.events.command;

import static io.cairn.events.command.Identifiers.require;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;

/**
 * Deletes a checkpoint (and, by flags, its descendants): {@code virDomainCheckpointDelete}.
 *
 * @param checkpoint the name of the checkpoint
 * @param flags      libvirt's delete flags; empty for none
 */
public record CheckpointDeleteCommand(
        String commandId,
        String domain,
        String checkpoint,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<CheckpointDeleteFlag> flags) implements Command {

    public static final String TYPE = "checkpoint.delete";

    public CheckpointDeleteCommand {
        flags = FlagSets.copyOf(CheckpointDeleteFlag.class, flags);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        Identifiers.requireCheckpointName("checkpoint", checkpoint);
        // As libvirt's virDomainCheckpointDelete: "children" and "children only" contradict each other.
        if (flags.contains(CheckpointDeleteFlag.CHILDREN) && flags.contains(CheckpointDeleteFlag.CHILDREN_ONLY)) {
            throw FlagRules.exclusive(CheckpointDeleteFlag.CHILDREN.libvirtName(),
                    CheckpointDeleteFlag.CHILDREN_ONLY.libvirtName());
        }
    }
}
