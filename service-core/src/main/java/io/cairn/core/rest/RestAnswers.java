package io.cairn.core.rest;

import io.cairn.core.failure.VirErrors;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** How a REST write answers with its command's outcome, the same way in both services. */
public final class RestAnswers {
    /** Where a command answered with 202 can be followed up ({@link CommandResource}). */
    public static final String COMMANDS_PATH = "/api/v1/commands/";

    private RestAnswers() {
    }

    /**
     * The command's outcome as {@code answer} shapes it, or 202 pointing at the command's status when it takes
     * longer than {@code bound}. The command runs on to its end either way: only the wait is bounded, never the work
     * (cancelling it halfway would leave a claimed command and a host's half-done step behind).
     */
    public static Uni<Response> within(Uni<CairnEvent> outcome, Duration bound, String commandId,
            Function<CairnEvent, Response> answer) {
        CompletableFuture<CairnEvent> running = outcome.subscribeAsCompletionStage();
        // A copy, so that the timeout below cancels the wait and not the command.
        return Uni.createFrom().completionStage(running.copy()).map(answer)
                .ifNoItem().after(bound).recoverWithItem(() -> accepted(commandId));
    }

    /** A rejection with libvirt's error and status; any other outcome as 200 with the event. */
    public static Response outcome(CairnEvent outcome) {
        if (outcome instanceof CommandRejectedEvent rejected) {
            return error(rejected.error(), VirErrors.httpStatus(rejected));
        }
        return Response.ok(outcome, MediaType.APPLICATION_JSON).build();
    }

    /** 202: accepted, its outcome to come; the body names the command and where to follow it. */
    public static Response accepted(String commandId) {
        return Response.accepted(Map.of("commandId", commandId, "status", COMMANDS_PATH + commandId))
                .location(URI.create(COMMANDS_PATH + commandId)).type(MediaType.APPLICATION_JSON).build();
    }

    public static Response error(ErrorInfo error, int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
