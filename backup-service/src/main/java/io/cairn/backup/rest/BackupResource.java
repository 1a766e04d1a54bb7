package io.cairn.backup.rest;

import io.cairn.backup.service.Admission;
import io.cairn.backup.service.BackupCommands;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.command.IdempotentCommands;
import io.cairn.core.rest.RestAnswers;
import io.cairn.backup.service.BackupJobStore;
import io.cairn.backup.service.job.BackupErrors;
import io.cairn.backup.service.job.AdmissionQueue;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.Command;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.UnknownFields;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupMode;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.xml.BackupXml;
import io.smallrye.mutiny.Uni;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * libvirt's backup API per domain over REST. Begin and abort go through the same handler as Kafka commands (so the
 * same rules and idempotency apply, keyed by the Idempotency-Key header); their outcome events arrive on
 * cairn.backup.events, and the job can be followed here.
 */
@Path("/api/v1")
public class BackupResource {
    private static final int MAX_HISTORY = 100;

    private final BackupXml xml = new BackupXml();
    private final CommandReader bodies = new CommandReader();

    @Inject
    BackupJobStore store;

    @Inject
    Caller caller;

    @Inject
    Admission admission;

    @Inject
    IdempotentCommands commands;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    BackupCommands backupCommands;

    @ConfigProperty(name = "cairn.rest.write-answer-bound", defaultValue = "20s")
    Duration answerBound;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/backup")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "virDomainBackupGetXMLDesc: the running backup job's <domainbackup>")
    public Uni<String> backupXml(@PathParam("domain") String domain) {
        return store.findActive(domain).map(job -> xml.format(job.orElseThrow(BackupErrors::noBackupJob)
                .definition()));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/backup/jobs")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The domain's backup jobs, newest first")
    public Uni<List<BackupJobView>> history(@PathParam("domain") String domain,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        return store.history(domain, Math.max(1, Math.min(limit, MAX_HISTORY)))
                .flatMap(jobs -> admission.queue().map(queue -> jobs.stream().map(job -> view(job, queue)).toList()));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("backup/jobs/{jobId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A backup job's state, statistics, while queued its place in the queue, and while a pull "
            + "runs where to connect (the NBD key only for operators and admins)")
    public Uni<BackupJobView> job(@PathParam("jobId") String jobId) {
        // A job of a domain out of the caller's scope does not exist for it.
        return store.find(jobId).map(job -> job.filter(found -> caller.sees(found.domain()))
                        .orElseThrow(BackupErrors::noBackupJob))
                .flatMap(job -> admission.queue().map(queue -> view(job, queue))
                        .flatMap(view -> nbdOf(job).map(view::withNbd)));
    }

    /**
     * A running pull's endpoint as its backup-started announced it (the begin's recorded outcome, so the view and
     * the event never disagree); its key only for a caller who may act on the domain: a viewer learns where to
     * connect and that a key is needed, not the key. Null for anything else, an ended job's key opens nothing.
     */
    private Uni<NbdEndpoint> nbdOf(BackupJob job) {
        if (job.mode() != BackupMode.PULL || job.state() != JobState.RUNNING) {
            return Uni.createFrom().nullItem();
        }
        boolean mayReadKey = caller.has(CairnRoles.OPERATOR);
        return outcomes.find(job.commandId()).map(outcome -> outcome instanceof BackupStartedEvent started
                && started.nbd() != null ? (mayReadKey ? started.nbd() : started.nbd().withoutKey()) : null);
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/backup")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainBackupBegin; 202 while the job's events are still to come")
    public Uni<Response> begin(@PathParam("domain") String domain, @HeaderParam("Idempotency-Key") String key,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BeginRequest.class))) String body,
            @Context UriInfo uri) {
        // Read here rather than by the framework's lenient mapper: a misspelt field (or ?flags) is refused, as over
        // Kafka, instead of starting a different backup than the one asked for.
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of());
        BeginRequest read = bodies.readPart("request body", body, BeginRequest.class);
        BeginRequest request = read == null ? new BeginRequest(null, null, null, null, null) : read;
        BackupBeginCommand command = new BackupBeginCommand(commandId(key), domain, request.backupXml(),
                request.backup(), request.checkpointXml(), request.checkpoint(), request.flags());
        return commands.handle(command, backupCommands).flatMap(outcome -> outcome != null
                ? Uni.createFrom().item(answer(command, outcome))
                // Accepted: say which job it became, so the caller can follow it without the event stream.
                : store.findByCommand(command.commandId()).map(job -> Response.accepted(accepted(command, job))
                        .type(MediaType.APPLICATION_JSON).build()));
    }

    private static Map<String, String> accepted(Command command, java.util.Optional<BackupJob> job) {
        if (job.isEmpty()) {
            return Map.of("commandId", command.commandId());
        }
        String jobId = job.get().jobId();
        return Map.of("commandId", command.commandId(), "jobId", jobId, "job", "/api/v1/backup/jobs/" + jobId);
    }

    @DELETE
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("domains/{domain}/backup")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainAbortJob for the domain's backup job; the job's backup-completed follows")
    public Uni<Response> abort(@PathParam("domain") String domain, @HeaderParam("Idempotency-Key") String key) {
        return submit(new BackupAbortCommand(commandId(key), domain));
    }

    /** The abort's outcome (the job's backup-completed), or 202 if the agent takes longer than the bound. */
    private Uni<Response> submit(Command command) {
        return RestAnswers.within(commands.handle(command, backupCommands), answerBound,
                command.commandId(), outcome -> answer(command, outcome));
    }

    /** A rejection carries libvirt's error and status; anything else is accepted, its events still to come. */
    private static Response answer(Command command, CairnEvent outcome) {
        if (outcome instanceof CommandRejectedEvent rejected) {
            return RestAnswers.outcome(rejected);
        }
        Object body = outcome != null ? outcome : Map.of("commandId", command.commandId());
        return Response.accepted(body).type(MediaType.APPLICATION_JSON).build();
    }

    private static BackupJobView view(BackupJob job, AdmissionQueue queue) {
        return BackupJobView.of(job, queue.positionOf(job.jobId()).orElse(null));
    }

    private static String commandId(String idempotencyKey) {
        return idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey : "rest-" + UUID.randomUUID();
    }
}
