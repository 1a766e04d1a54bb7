package io.cairn.checkpoint.rest;

import io.cairn.checkpoint.service.CheckpointCommands;
import io.cairn.checkpoint.service.LineageStore;
import io.cairn.checkpoint.service.lineage.CheckpointListFlag;
import io.cairn.core.command.IdempotentCommands;
import io.cairn.core.rest.RestAnswers;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointCreateFlag;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.command.Command;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.UnknownFields;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.xml.CheckpointFormatFlag;
import io.cairn.events.xml.CheckpointXml;
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
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * libvirt's checkpoint API over HTTP for one domain. Writes go through the same handler as Kafka commands (an
 * {@code Idempotency-Key} header is the commandId); reads answer JSON or libvirt's XML by content negotiation.
 */
@Path("/api/v1/domains/{domain}/checkpoints")
public class CheckpointResource {
    private final CheckpointXml xml = new CheckpointXml();
    private final CommandReader bodies = new CommandReader();

    @Inject
    LineageStore lineage;

    @Inject
    Caller caller;

    @Inject
    IdempotentCommands commands;

    @Inject
    CheckpointCommands checkpointCommands;

    @Inject
    io.cairn.checkpoint.service.CheckpointSizes sizes;

    @ConfigProperty(name = "cairn.rest.write-answer-bound", defaultValue = "20s")
    Duration answerBound;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainListAllCheckpoints", description = "flags: ROOTS, LEAVES, NO_LEAVES, TOPOLOGICAL")
    public Uni<List<CheckpointView>> list(@PathParam("domain") String domain,
            @QueryParam("flags") @DefaultValue("") String flags) {
        int mask = listMask(flags);
        return lineage.read(domain, tree -> tree.listAll(mask).stream().map(CheckpointView::of).toList());
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointLookupByName")
    public Uni<CheckpointView> lookup(@PathParam("domain") String domain, @PathParam("name") String name) {
        return lineage.read(domain, tree -> CheckpointView.of(tree.lookup(name)));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{name}")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "virDomainCheckpointGetXMLDesc", description = "flags: SECURE, NO_DOMAIN, SIZE (the domain's "
            + "host measures the bytes dirtied since the checkpoint)")
    public Uni<String> xml(@PathParam("domain") String domain, @PathParam("name") String name,
            @QueryParam("flags") @DefaultValue("") String flags) {
        Set<CheckpointFormatFlag> format = parseFlags(flags, CheckpointFormatFlag.class);
        if (format.contains(CheckpointFormatFlag.SECURE) && !caller.has(CairnRoles.OPERATOR)) {
            // libvirt refuses SECURE on a read-only connection, which is what a viewer has.
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                    "virDomainCheckpointGetXMLDesc with secure info is not allowed on a read-only connection");
        }
        Uni<io.cairn.events.model.CheckpointDefinition> definition =
                lineage.read(domain, tree -> tree.lookup(name).definition());
        if (format.contains(CheckpointFormatFlag.SIZE)) {
            definition = definition.flatMap(found -> sizes.withSizes(domain, found));
        }
        return definition.map(found -> xml.format(found, format));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{name}/parent")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointGetParent")
    public Uni<CheckpointView> parent(@PathParam("domain") String domain, @PathParam("name") String name) {
        return lineage.read(domain, tree -> CheckpointView.of(tree.parent(name)));
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("{name}/children")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointListAllChildren", description = "flags: DESCENDANTS, LEAVES, NO_LEAVES, "
            + "TOPOLOGICAL")
    public Uni<List<CheckpointView>> children(@PathParam("domain") String domain, @PathParam("name") String name,
            @QueryParam("flags") @DefaultValue("") String flags) {
        int mask = listMask(flags);
        return lineage.read(domain, tree -> tree.listChildren(name, mask).stream().map(CheckpointView::of).toList());
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Consumes(MediaType.APPLICATION_XML)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointCreateXML", description = "body: <domaincheckpoint>; flags: REDEFINE, "
            + "REDEFINE_VALIDATE, QUIESCE (freeze the guest's file systems through its QEMU guest agent)")
    public Uni<Response> createFromXml(@PathParam("domain") String domain, String body,
            @QueryParam("flags") @DefaultValue("") String flags, @HeaderParam("Idempotency-Key") String key,
            @Context UriInfo uri) {
        requireOnlyFlags(uri);
        return write(new CheckpointCreateCommand(commandId(key), domain, body, null,
                createFlags(flags)));
    }

    @POST
    @RolesAllowed(CairnRoles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointCreateXML with a JSON definition")
    public Uni<Response> createFromJson(@PathParam("domain") String domain,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckpointDefinition.class))) String body,
            @QueryParam("flags") @DefaultValue("") String flags, @HeaderParam("Idempotency-Key") String key,
            @Context UriInfo uri) {
        requireOnlyFlags(uri);
        // Read here rather than by the framework's lenient mapper: a misspelt field is refused, as over Kafka.
        CheckpointDefinition definition = bodies.readPart("request body", body, CheckpointDefinition.class);
        return write(new CheckpointCreateCommand(commandId(key), domain, null, definition, createFlags(flags)));
    }

    @DELETE
    @RolesAllowed(CairnRoles.OPERATOR)
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "virDomainCheckpointDelete", description = "flags: CHILDREN, CHILDREN_ONLY, METADATA_ONLY")
    public Uni<Response> delete(@PathParam("domain") String domain, @PathParam("name") String name,
            @QueryParam("flags") @DefaultValue("") String flags, @HeaderParam("Idempotency-Key") String key,
            @Context UriInfo uri) {
        requireOnlyFlags(uri);
        Set<CheckpointDeleteFlag> parsed = parseFlags(flags, CheckpointDeleteFlag.class);
        if (parsed.contains(CheckpointDeleteFlag.METADATA_ONLY)) {
            caller.require(CairnRoles.ADMIN, "a METADATA_ONLY delete (it leaves the host's bitmaps unmanaged)");
        }
        return write(new CheckpointDeleteCommand(commandId(key), domain, name, parsed));
    }

    /**
     * Answers with the outcome, or 202 pointing at the command's status if the host takes longer than the bound;
     * the command goes on to its outcome either way.
     */
    private Uni<Response> write(Command command) {
        return RestAnswers.within(commands.handle(command, checkpointCommands::apply), answerBound,
                command.commandId(), RestAnswers::outcome);
    }

    /** REDEFINE writes the lineage from the caller's word alone: an admin's call. */
    private Set<CheckpointCreateFlag> createFlags(String flags) {
        Set<CheckpointCreateFlag> parsed = parseFlags(flags, CheckpointCreateFlag.class);
        if (parsed.contains(CheckpointCreateFlag.REDEFINE) || parsed.contains(CheckpointCreateFlag.REDEFINE_VALIDATE)) {
            caller.require(CairnRoles.ADMIN, "REDEFINE (it writes the lineage from the caller's description)");
        }
        return parsed;
    }

    /** A misspelt ?flags would be dropped, turning e.g. a METADATA_ONLY delete into a full one. */
    private static void requireOnlyFlags(UriInfo uri) {
        UnknownFields.requireKnown("query parameter", uri.getQueryParameters().keySet(), Set.of("flags"));
    }

    private static String commandId(String key) {
        return key == null || key.isBlank() ? "rest-" + UUID.randomUUID() : key;
    }

    private static int listMask(String flags) {
        int mask = 0;
        for (CheckpointListFlag flag : parseFlags(flags, CheckpointListFlag.class)) {
            mask |= flag.value();
        }
        return mask;
    }

    /** Comma-separated libvirt flag names; an unknown name is libvirt's VIR_ERR_INVALID_ARG. */
    private static <E extends Enum<E>> Set<E> parseFlags(String flags, Class<E> type) {
        Set<E> parsed = EnumSet.noneOf(type);
        for (String name : flags.split(",")) {
            if (!name.isBlank()) {
                try {
                    parsed.add(Enum.valueOf(type, name.trim().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new io.cairn.events.error.CairnException(io.cairn.events.error.VirErrorCode.VIR_ERR_INVALID_ARG,
                            "unsupported flag '" + name.trim() + "'");
                }
            }
        }
        return parsed;
    }
}
