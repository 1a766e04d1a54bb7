package io.cairn.cli.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits for a write's outcome as virsh waits for its call: a write answered within the service's bound carries its
 * outcome event; one answered 202 without it is followed at {@code GET /api/v1/commands/{id}} until it has one.
 */
public final class CommandOutcome {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration LIMIT = Duration.ofMinutes(15);

    private CommandOutcome() {
    }

    /** The outcome event (a rejection has already been thrown as a {@link CliFailure}). */
    public static JsonNode await(CairnApi api, CairnApi.Service service, CairnApi.Answer answer, String commandId) {
        JsonNode body = answer.json();
        if (body.hasNonNull("type")) {
            return body;
        }
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode outcome = api.commandOutcome(service, commandId);
            if (outcome != null) {
                return outcome;
            }
            pause(POLL);
        }
        throw new CliFailure("VIR_ERR_OPERATION_TIMEOUT", 68, "command " + commandId + " has no outcome after "
                + LIMIT.toMinutes() + " minutes; follow it with GET /api/v1/commands/" + commandId,
                ExitCodes.CAIRN_ERROR);
    }

    /** The pause between two polls. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unreachable("interrupted");
        }
    }
}
