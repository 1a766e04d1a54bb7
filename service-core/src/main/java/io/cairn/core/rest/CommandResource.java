package io.cairn.core.rest;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.error.ErrorInfo;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where a write answered with 202 can be followed up, in both services: the command's outcome once it has one. */
@Path("/api/v1/commands")
public class CommandResource {

    @Inject
    CommandOutcomes outcomes;

    @GET
    @Path("{commandId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The outcome event of a command, by its commandId; 404 while it has none")
    public Uni<Response> outcome(@PathParam("commandId") String commandId) {
        return outcomes.find(commandId).map(outcome -> outcome != null ? RestAnswers.outcome(outcome)
                : RestAnswers.error(new ErrorInfo("NOT_FOUND", 0, "no outcome recorded for command '" + commandId
                        + "'"), 404));
    }
}
