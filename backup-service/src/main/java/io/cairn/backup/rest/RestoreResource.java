package io.cairn.backup.rest;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.backup.service.restore.RestoreState;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import io.cairn.backup.service.job.BackupErrors;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.command.Command;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.command.UnknownFields;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.RestoreExportedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Restores (and verifies, and registers of pull outputs, which run as restores) over REST: restore.begin,
 * backup.verify and backup.register through the same handler as the Kafka commands (same rules, idempotent by the
 * Idempotency-Key header), and the restores of a domain to follow. Rooted where BackupResource is (JAX-RS matches
 * the class by its path first).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {
    private static final int MAX_HISTORY = 100;

    private final CommandReader bodies = new CommandReader();

    @Inject
    RestoreJobStore store;

    @Inject
    CommandSubmissions submissions;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    Caller caller;

    @Inject
    io.cairn.backup.service.BackupJobStore jobs;

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/restore")
    @Operation(summary = "restore.begin: write disks back as they were at a checkpoint, from the catalog; 202 with "
            + "the restore to follow, or its restore-completed if it has ended already")
    public Uni<Response> begin(@PathParam("domain") String domain, @HeaderParam("Idempotency-Key") String key,
            String body, @Context UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        RestoreRequest read = bodies.readPart("request body", body, RestoreRequest.class);
        RestoreRequest request = read == null ? new RestoreRequest(null, null, null, null) : read;
        return submit(new RestoreBeginCommand(commandId(key), domain, request.checkpoint(), request.mode(),
                request.disks(), request.ttl()));
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/verify")
    @Operation(summary = "backup.verify: re-read the artifacts of a restore point (or all of the domain's) against "
            + "their checksums; 202 with the verify to follow (GET /api/v1/restore/jobs/{id}), or its verify-completed")
    public Uni<Response> verify(@PathParam("domain") String domain, @HeaderParam("Idempotency-Key") String key,
            String body, @Context UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        VerifyRequest read = body == null || body.isBlank() ? null
                : bodies.readPart("request body", body, VerifyRequest.class);
        return submit(new VerifyBeginCommand(commandId(key), domain, read == null ? null : read.checkpoint()));
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("backup/jobs/{jobId}/artifacts")
    @Operation(summary = "backup.register: record the files a pull backup's client wrote in the catalog (checked and "
            + "digested on the job's host); 202 with the registration to follow, or its artifacts-registered")
    public Uni<Response> register(@PathParam("jobId") String jobId, @HeaderParam("Idempotency-Key") String key,
            String body, @Context UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        RegisterRequest read = bodies.readPart("request body", body, RegisterRequest.class);
        // The command names the job's domain; a job out of the caller's scope does not exist for it.
        return jobs.find(jobId).map(job -> job.filter(found -> caller.sees(found.domain()))
                        .orElseThrow(BackupErrors::noBackupJob))
                .flatMap(job -> submit(new BackupRegisterCommand(commandId(key), job.domain(), jobId,
                        read == null ? null : read.disks())));
    }

    /**
     * Runs the command like its Kafka twin; answers its rejection, its outcome if the restore ended already, or 202
     * with the restore to follow.
     */
    private Uni<Response> submit(Command command) {
        return submissions.submit(command, commandId -> store.findByCommand(commandId)
                .map(job -> following(commandId, job)));
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("restore/jobs/{restoreId}/end")
    @Operation(summary = "restore.end: stop an export restore (instant restore); its restore-completed, or 202 "
            + "with the restore to follow")
    public Uni<Response> end(@PathParam("restoreId") String restoreId, @HeaderParam("Idempotency-Key") String key,
            @Context UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        // The command names the restore's domain; one out of the caller's scope does not exist for it.
        return store.find(restoreId).map(job -> job.filter(found -> caller.sees(found.domain()))
                        .orElseThrow(() -> RestoreJobStore.noRestore(restoreId)))
                .flatMap(job -> submit(new RestoreEndCommand(commandId(key), job.domain(), restoreId)));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/restore/jobs")
    @Operation(summary = "The domain's restores, newest first")
    public Uni<List<RestoreJobView>> history(@PathParam("domain") String domain,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        return store.history(domain, Math.max(1, Math.min(limit, MAX_HISTORY)))
                .map(jobs -> jobs.stream().map(RestoreJobView::of).toList());
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("restore/jobs/{restoreId}")
    @Operation(summary = "A restore: its plan, progress and verdict; an export while it serves: where to connect "
            + "(the NBD key only for operators and admins)")
    public Uni<RestoreJobView> job(@PathParam("restoreId") String restoreId) {
        // A restore of a domain out of the caller's scope does not exist for it.
        return store.find(restoreId).map(job -> job.filter(found -> caller.sees(found.domain()))
                        .orElseThrow(() -> RestoreJobStore.noRestore(restoreId)))
                .flatMap(job -> nbdOf(job).map(nbd -> RestoreJobView.of(job).withNbd(nbd)));
    }

    /**
     * A serving export's endpoint as its restore-exported announced it (the begin's recorded outcome, so view and
     * event never disagree); the key only for a caller who may act on the domain. Null for anything else.
     */
    private Uni<NbdEndpoint> nbdOf(RestoreJob job) {
        if (job.state() != RestoreState.EXPORTED) {
            return Uni.createFrom().nullItem();
        }
        boolean mayReadKey = caller.has(CairnRoles.OPERATOR);
        return outcomes.find(job.commandId()).map(outcome -> outcome instanceof RestoreExportedEvent exported
                && exported.nbd() != null ? (mayReadKey ? exported.nbd() : exported.nbd().withoutKey()) : null);
    }

    private static Map<String, String> following(String commandId, Optional<RestoreJob> job) {
        return job.map(found -> Map.of("commandId", commandId, "restoreId", found.restoreId(), "restore",
                        "/api/v1/restore/jobs/" + found.restoreId()))
                .orElse(Map.of("commandId", commandId));
    }

    private static String commandId(String idempotencyKey) {
        return CommandSubmissions.commandId(idempotencyKey);
    }
}
