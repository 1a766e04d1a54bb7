package io.cairn.checkpoint.service;

import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.DeletionPlan;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointCreateFlag;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.command.Command;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.xml.CheckpointParseFlag;
import io.cairn.events.xml.CheckpointXml;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * What each checkpoint command does to the lineage, inside the handler's transaction. Changes that touch bitmaps
 * need the domain's host agent; those are refused for now with VIR_ERR_OPERATION_UNSUPPORTED, and only metadata
 * changes (REDEFINE, METADATA_ONLY delete) are applied.
 */
@ApplicationScoped
public class CheckpointCommands {
    private final CheckpointXml xml = new CheckpointXml();

    @Inject
    LineageStore lineage;

    public Uni<CairnEvent> apply(Command command) {
        if (command instanceof CheckpointCreateCommand create) {
            return create(create);
        }
        if (command instanceof CheckpointDeleteCommand delete) {
            return delete(delete);
        }
        return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "command type " + command.type() + " is not a checkpoint command"));
    }

    private Uni<CairnEvent> create(CheckpointCreateCommand command) {
        command.validate();
        if (!command.flags().contains(CheckpointCreateFlag.REDEFINE)
                || command.flags().contains(CheckpointCreateFlag.REDEFINE_VALIDATE)) {
            return Uni.createFrom().failure(needsAgent("creating or validating checkpoint bitmaps"));
        }
        CheckpointDefinition definition = command.checkpointXml() != null
                ? xml.parse(command.checkpointXml(), CheckpointParseFlag.REDEFINE)
                : command.checkpoint();
        return lineage.update(command.domain(), tree -> tree.redefine(definition, command.commandId()))
                .map(checkpoint -> created(command, checkpoint));
    }

    private Uni<CairnEvent> delete(CheckpointDeleteCommand command) {
        command.validate();
        if (!command.flags().contains(CheckpointDeleteFlag.METADATA_ONLY)) {
            return Uni.createFrom().failure(needsAgent("removing checkpoint bitmaps"));
        }
        return lineage.update(command.domain(), tree -> tree.delete(command.checkpoint(), command.flags()))
                .map(plan -> deleted(command, plan));
    }

    private static CairnEvent created(CheckpointCreateCommand command, Checkpoint checkpoint) {
        return new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), checkpoint.definition(), true);
    }

    private static CairnEvent deleted(CheckpointDeleteCommand command, DeletionPlan plan) {
        return new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), plan.removed(), plan.metadataOnly());
    }

    private static CairnException needsAgent(String what) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, what
                + " through the host agent is not available in this version of checkpoint-service");
    }
}
