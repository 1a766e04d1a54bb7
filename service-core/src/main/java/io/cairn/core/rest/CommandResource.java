package io.cairn.core.rest;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.error.ErrorInfo;
import io.smallrye.mutiny.Uni;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import jakarta.annotation.security.RolesAllowed;
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

    @Inject
    Caller caller;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{commandId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The outcome event of a command, by its commandId; 404 while it has none")
    public Uni<Response> outcome(@PathParam("commandId") String commandId) {
        // A command about a domain out of the caller's scope has no outcome the caller may see; a viewer sees it
        // without credentials (a pull's NBD key opens the disks, reading the outcome must not).
        boolean mayReadCredentials = caller.has(CairnRoles.OPERATOR);
        return outcomes.find(commandId).map(outcome -> outcome != null && caller.sees(outcome.domain())
                ? RestAnswers.outcome(mayReadCredentials ? outcome : outcome.withoutCredentials())
                : RestAnswers.error(new ErrorInfo("NOT_FOUND", 0, "no outcome recorded for command '" + commandId
                        + "'"), 404));
    }
}
