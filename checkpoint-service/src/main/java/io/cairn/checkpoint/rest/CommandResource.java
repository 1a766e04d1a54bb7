package io.cairn.checkpoint.rest;

import io.cairn.checkpoint.repository.ProcessedCommandRepository;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where a write answered with 202 can be followed up: the command's outcome once it has one. */
@Path("/api/v1/commands")
public class CommandResource {

    @Inject
    ProcessedCommandRepository processed;

    @GET
    @Path("{commandId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The outcome event of a command, by its commandId; 404 while it has none")
    public Uni<Response> outcome(@PathParam("commandId") String commandId) {
        return Panache.withSession(() -> processed.findById(commandId)).map(row -> {
            if (row == null) {
                return Response.status(404).type(MediaType.APPLICATION_JSON)
                        .entity(new ErrorInfo("NOT_FOUND", 0, "no outcome recorded for command '" + commandId + "'"))
                        .build();
            }
            try {
                return CheckpointResource.answer(CairnJson.mapper().readValue(row.outcome, CairnEvent.class));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored outcome of " + commandId + " is unreadable", e);
            }
        });
    }
}
