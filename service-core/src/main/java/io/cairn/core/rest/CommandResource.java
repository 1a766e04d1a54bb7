package io.cairn.core.rest;

import io.cairn.core.command.OutcomeWaits;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Where a write answered with 202 can be followed up, in both services: the command's outcome once it has one,
 * optionally waiting for it (a long poll) instead of being polled.
 */
@Path("/api/v1/commands")
public class CommandResource {

    @Inject
    OutcomeWaits waits;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{commandId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The outcome event of a command, by its commandId; 404 while it has none",
            description = "With wait, answers as soon as the command has an outcome, or 404 once the wait is over")
    public Uni<Response> outcome(@PathParam("commandId") String commandId,
            @Parameter(description = "how long to wait for the outcome: an ISO-8601 duration (PT20S) or seconds (20);"
                    + " at most 60 s (a longer wait is shortened to it)") @QueryParam("wait") String wait,
            @Context UriInfo uri) {
        // A command about a domain out of the caller's scope has no outcome the caller may see; a viewer sees it
        // without credentials (a pull's NBD key opens the disks, reading the outcome must not).
        boolean mayReadCredentials = caller.has(CairnRoles.OPERATOR);
        return waits.await(commandId, OutcomeWaits.parseWait(
                // "?wait=" may reach here as null: given but empty is a bad value, not no wait.
                wait == null && uri.getQueryParameters().containsKey("wait") ? "" : wait), outcome -> caller.sees(outcome.domain()))
                .map(outcome -> outcome != null
                        ? RestAnswers.outcome(mayReadCredentials ? outcome : outcome.withoutCredentials())
                        : RestAnswers.error(new ErrorInfo("NOT_FOUND", 0, "no outcome recorded for command '"
                                + commandId + "'"), 404));
    }
}
