package io.cairn.backup.messaging;

import io.cairn.backup.service.BackupCommands;
import io.cairn.core.command.CommandIntake;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads users' commands from cairn.backup.commands through the core's consumer skeleton (claim, one outcome, one
 * failure policy; see {@link CommandIntake}).
 */
@ApplicationScoped
public class BackupCommandConsumer {

    @Inject
    CommandIntake intake;

    @Inject
    BackupCommands commands;

    @Incoming("backup-commands")
    public Uni<Void> consume(Message<String> message) {
        return intake.consume(message, commands);
    }
}
