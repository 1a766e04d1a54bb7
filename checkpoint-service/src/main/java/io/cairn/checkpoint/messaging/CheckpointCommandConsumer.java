package io.cairn.checkpoint.messaging;

import io.cairn.checkpoint.service.CheckpointCommands;
import io.cairn.core.command.CommandIntake;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads users' commands from cairn.checkpoint.commands through the core's consumer skeleton (claim, one outcome,
 * one failure policy; see {@link CommandIntake}).
 */
@ApplicationScoped
public class CheckpointCommandConsumer {

    @Inject
    CommandIntake intake;

    @Inject
    CheckpointCommands commands;

    @Incoming("checkpoint-commands")
    public Uni<Void> consume(Message<String> message) {
        return intake.consume(message, commands::apply);
    }
}
