package io.cairn.core.command;

import io.cairn.core.failure.CommandInProgress;
import io.cairn.events.command.Command;
import io.cairn.events.event.CairnEvent;
import io.smallrye.mutiny.Uni;

/**
 * What a service does for a command it holds the claim of. It records the command's outcome itself with
 * {@link CommandOutcomes#record} in the transaction of the change the outcome reports, and answers that outcome, or
 * null when the outcome comes later (a backup's start). A libvirt error it fails with becomes the command's
 * command-rejected.
 */
@FunctionalInterface
public interface CommandWork {
    Uni<CairnEvent> apply(Command command);

    /**
     * What a delivery answers while another delivery holds the command's claim: by default it waits (transient
     * {@link CommandInProgress}, retried); work whose acceptance is visible in its own state (a backup job row) can
     * answer "accepted, outcome to come" (null) instead.
     */
    default Uni<CairnEvent> whileHeldElsewhere(Command command) {
        return Uni.createFrom().failure(new CommandInProgress(command.commandId()));
    }
}
