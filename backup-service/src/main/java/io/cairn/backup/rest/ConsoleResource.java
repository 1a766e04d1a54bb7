package io.cairn.backup.rest;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.console.CheckpointServiceProxy;
import io.cairn.backup.console.ConsoleConfig;
import io.cairn.backup.console.ConsoleFeed;
import io.cairn.backup.service.Admission;
import io.cairn.backup.service.BackupJobStore;
import io.cairn.backup.service.job.JobState;
import io.cairn.core.agent.HostDirectory;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import io.cairn.core.security.DomainScope;
import io.cairn.events.agent.DomainInventory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the web console reads that the rest of the API does not give in one call (who the caller is, the fleet with
 * its load against the caps, the fleet's jobs, the live event stream) and its one way to checkpoint-service's
 * lineage. Same tokens, roles and domain scope as every other endpoint; the console's actions are the API's own.
 */
@Path("/api/v1/console")
public class ConsoleResource {
    private static final int MAX_JOBS = 200;

    @Inject
    Caller caller;

    @Inject
    HostDirectory hosts;

    @Inject
    BackupJobStore store;

    @Inject
    Admission admission;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    ConsoleFeed feed;

    @Inject
    ConsoleConfig config;

    @Inject
    CheckpointServiceProxy checkpoints;

    @Inject
    Clock clock;

    /** Who the console's caller is, so a page shows actions only to those who may take them. */
    public record Me(String name, boolean operator, boolean admin, List<String> domains) {
    }

    /** One host as the fleet page shows it. */
    public record HostLoad(String hostId, Instant lastReport, Instant agentStartedAt, boolean alive, int running,
            int queued, List<DomainInventory> domains) {
    }

    /** The fleet page: every host, and the fleet's load against the caps. */
    public record Fleet(int maxPerHost, int maxInFleet, int running, int queued, List<HostLoad> hosts) {
    }

    /** The jobs page: active jobs (arrival order) and the history, newest first. */
    public record Jobs(List<BackupJobView> active, List<BackupJobView> history) {
    }

    @GET
    @Path("me")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller: name, whether it may act (operator, admin) and its domain scope")
    public Me me() {
        return new Me(caller.name(), caller.has(CairnRoles.OPERATOR), caller.has(CairnRoles.ADMIN),
                caller.scope().patterns());
    }

    @GET
    @Path("fleet")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every host: its agent's last report and whether it is alive, its domains in the caller's "
            + "scope, its running and queued backups; the fleet's against the caps")
    public Uni<Fleet> fleet() {
        Instant aliveSince = clock.instant().minus(limits.agentAlive());
        return admission.queue().map(queue -> new Fleet(limits.maxPerHost(), limits.maxInFleet(),
                queue.runningInFleet(), queue.waitingCount(), hosts.all().stream()
                        .sorted(Comparator.comparing(host -> host.hostId()))
                        .map(host -> new HostLoad(host.hostId(), host.time(), host.agentStartedAt(),
                                host.time() != null && host.time().isAfter(aliveSince), queue.runningOn(host.hostId()),
                                queue.waitingOn(host.hostId()), host.domains().stream()
                                        .filter(domain -> caller.sees(domain.name())).toList()))
                        .toList()));
    }

    @GET
    @Path("jobs")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The backup jobs of the caller's domains: active ones, and the newest ended ones")
    public Uni<Jobs> jobs(@QueryParam("limit") @DefaultValue("50") int limit) {
        int bounded = Math.max(1, Math.min(limit, MAX_JOBS));
        DomainScope scope = caller.scope();
        return store.recent(MAX_JOBS).flatMap(jobs -> admission.queue().map(queue -> {
            List<BackupJobView> visible = jobs.stream().filter(job -> scope.includes(job.domain()))
                    .map(job -> BackupJobView.of(job, queue.positionOf(job.jobId()).orElse(null))).toList();
            return new Jobs(visible.stream().filter(job -> !ended(job))
                    .sorted(Comparator.comparing(BackupJobView::requestedAt)).toList(),
                    visible.stream().filter(ConsoleResource::ended).limit(bounded).toList());
        }));
    }

    @GET
    @Path("events")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-sent events: every backup and checkpoint event of the caller's domains from now "
            + "on, named by its type, the event's JSON as data; 'ready' first, a comment now and then")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        DomainScope scope = caller.scope();
        // 'ready' once the feed reads both topics: from then on this stream misses nothing of the caller's domains.
        Multi<OutboundSseEvent> ready = feed.live().map(nothing -> sse.newEventBuilder().name("ready").data("{}")
                .build()).toMulti();
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(config.keepAlive())
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        Multi<OutboundSseEvent> events = feed.follow(scope)
                .map(event -> sse.newEventBuilder().name(event.type()).data(event.json()).build());
        return Multi.createBy().merging().streams(ready, events, keepAlive);
    }

    @GET
    @Path("domains/{domain}/checkpoints")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "checkpoint-service's list of the domain's checkpoints (topological), with the caller's token")
    public Uni<Response> lineage(@PathParam("domain") String domain,
            @HeaderParam("Authorization") String authorization) {
        return checkpoints.forward("GET", authorization, domain, null, Map.of("flags", "TOPOLOGICAL"),
                MediaType.APPLICATION_JSON, null, null);
    }

    @GET
    @Path("domains/{domain}/checkpoints/{name}")
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "checkpoint-service's <domaincheckpoint> of one checkpoint (flags as there: SIZE, ...)")
    public Uni<Response> checkpointXml(@PathParam("domain") String domain, @PathParam("name") String name,
            @QueryParam("flags") @DefaultValue("") String flags, @HeaderParam("Authorization") String authorization) {
        return checkpoints.forward("GET", authorization, domain, name, flags(flags), MediaType.APPLICATION_XML,
                null, null);
    }

    @POST
    @Path("domains/{domain}/checkpoints")
    @RolesAllowed(CairnRoles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a checkpoint through checkpoint-service (JSON definition; flags as there)")
    public Uni<Response> create(@PathParam("domain") String domain, @QueryParam("flags") @DefaultValue("") String flags,
            @HeaderParam("Authorization") String authorization, String body) {
        return checkpoints.forward("POST", authorization, domain, null, flags(flags), MediaType.APPLICATION_JSON,
                MediaType.APPLICATION_JSON, body);
    }

    @DELETE
    @Path("domains/{domain}/checkpoints/{name}")
    @RolesAllowed(CairnRoles.OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deletes a checkpoint through checkpoint-service (flags as there: CHILDREN, CHILDREN_ONLY, "
            + "METADATA_ONLY)")
    public Uni<Response> delete(@PathParam("domain") String domain, @PathParam("name") String name,
            @QueryParam("flags") @DefaultValue("") String flags, @HeaderParam("Authorization") String authorization) {
        return checkpoints.forward("DELETE", authorization, domain, name, flags(flags), MediaType.APPLICATION_JSON,
                null, null);
    }

    private static Map<String, String> flags(String flags) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!flags.isBlank()) {
            query.put("flags", flags);
        }
        return query;
    }

    /** Ended as the job state machine says (queued, starting and running jobs are active). */
    private static boolean ended(BackupJobView job) {
        return JobState.valueOf(job.state()).isTerminal();
    }
}
