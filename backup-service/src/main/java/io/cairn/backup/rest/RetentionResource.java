package io.cairn.backup.rest;

import io.cairn.backup.service.ArtifactCatalog;
import io.cairn.backup.service.RetentionPolicies;
import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.RetentionApplyCommand;
import io.cairn.events.command.UnknownFields;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Retention over REST: a domain's policy (set, shown with a dry run of what applying it would do, removed),
 * retention.apply through the same handler as the Kafka command, and the runs to follow.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {
    private static final int MAX_HISTORY = 100;

    private final CommandReader bodies = new CommandReader();

    @Inject
    RetentionPolicies policies;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RetentionRunStore runs;

    @Inject
    CommandSubmissions submissions;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/retention")
    @Operation(summary = "The domain's retention policy and what applying it now would do (nothing is changed)")
    public Uni<RetentionView> show(@PathParam("domain") String domain) {
        return view(domain);
    }

    @PUT
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/retention")
    @Operation(summary = "Sets the domain's retention policy; applied after each push backup and by retention.apply")
    public Uni<RetentionView> set(@PathParam("domain") String domain, String body) {
        RetentionPolicyBody read = bodies.readPart("request body", body, RetentionPolicyBody.class);
        if (read == null) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "a retention policy needs a body: "
                    + "{\"keepLast\", \"keepDaily\", \"keepWeekly\", \"fullEvery\", \"maxChainBytes\"}");
        }
        return policies.put(domain, read.toPolicy(), caller.name(), clock.instant()).chain(() -> view(domain));
    }

    @DELETE
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/retention")
    @Operation(summary = "Removes the domain's retention policy: nothing is pruned and no full is forced any more")
    public Uni<Response> remove(@PathParam("domain") String domain) {
        return policies.delete(domain).map(deleted -> Response.noContent().build());
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/retention/apply")
    @Operation(summary = "retention.apply: prune now what the policy no longer keeps; 202 with the run to follow, or "
            + "its retention-applied if it has ended already")
    public Uni<Response> apply(@PathParam("domain") String domain, @HeaderParam("Idempotency-Key") String key,
            @Context UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        RetentionApplyCommand command = new RetentionApplyCommand(CommandSubmissions.commandId(key), domain);
        return submissions.submit(command, commandId -> runs.findByCommand(commandId)
                .map(run -> following(commandId, run)));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/retention/runs")
    @Operation(summary = "The domain's retention runs, newest first")
    public Uni<List<RetentionRunView>> history(@PathParam("domain") String domain,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        return runs.history(domain, Math.max(1, Math.min(limit, MAX_HISTORY)))
                .map(found -> found.stream().map(RetentionRunView::of).toList());
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("retention/runs/{runId}")
    @Operation(summary = "A retention run: its work, what its agent has done so far, and its end")
    public Uni<RetentionRunView> run(@PathParam("runId") String runId) {
        // A run of a domain out of the caller's scope does not exist for it.
        return runs.find(runId).map(run -> run.filter(found -> caller.sees(found.domain()))
                .map(RetentionRunView::of).orElseThrow(() -> RetentionRunStore.noRun(runId)));
    }

    private Uni<RetentionView> view(String domain) {
        return policies.find(domain).flatMap(policy -> catalog.artifacts(domain)
                .map(artifacts -> RetentionView.of(domain, policy, artifacts, clock.instant())));
    }

    private static Map<String, String> following(String commandId, Optional<RetentionRun> run) {
        return run.map(found -> Map.of("commandId", commandId, "runId", found.runId(), "run",
                        "/api/v1/retention/runs/" + found.runId()))
                .orElse(Map.of("commandId", commandId));
    }
}
