package io.cairn.events.command;

import static io.cairn.events.command.Identifiers.require;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.CheckpointDefinition;
import java.util.Set;

/**
 * Creates (or, with REDEFINE, restores the metadata of) a checkpoint: {@code virDomainCheckpointCreateXML}.
 *
 * @param checkpointXml the checkpoint as a libvirt {@code <domaincheckpoint>} document; or
 * @param checkpoint    the checkpoint as JSON
 * @param flags         libvirt's create flags; empty for none
 */
public record CheckpointCreateCommand(
        String commandId,
        String domain,
        String checkpointXml,
        CheckpointDefinition checkpoint,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<CheckpointCreateFlag> flags) implements Command {

    public static final String TYPE = "checkpoint.create";

    public CheckpointCreateCommand {
        flags = FlagSets.copyOf(CheckpointCreateFlag.class, flags);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        DefinitionChecks.requireExactlyOne("checkpointXml", checkpointXml, "checkpoint", checkpoint);
        if (checkpointXml != null) {
            DefinitionChecks.requireXmlElement("checkpointXml", checkpointXml, "domaincheckpoint",
                    CommandLimits.MAX_CHECKPOINT_XML_BYTES);
        } else {
            DefinitionChecks.checkCheckpoint(checkpoint);
        }
        // The same two rules libvirt's virDomainCheckpointCreateXML enforces before reaching the driver.
        if (flags.contains(CheckpointCreateFlag.REDEFINE_VALIDATE) && !flags.contains(CheckpointCreateFlag.REDEFINE)) {
            throw FlagRules.required(CheckpointCreateFlag.REDEFINE.libvirtName(),
                    CheckpointCreateFlag.REDEFINE_VALIDATE.libvirtName());
        }
        if (flags.contains(CheckpointCreateFlag.REDEFINE) && flags.contains(CheckpointCreateFlag.QUIESCE)) {
            throw FlagRules.exclusive(CheckpointCreateFlag.REDEFINE.libvirtName(),
                    CheckpointCreateFlag.QUIESCE.libvirtName());
        }
        // Last: each field's own limit names the field, this one bounds what no field limit covers (disks, paths).
        CommandLimits.requireEncodedSize(this);
    }
}
