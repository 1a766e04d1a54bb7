package io.cairn.checkpoint.rest;

import io.cairn.checkpoint.service.RetiredLineages;
import io.cairn.core.security.CairnRoles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where a domain's retired lineages (those of earlier VMs of the same name, other UUIDs) can still be read. */
@Path("/api/v1/domains/{domain}/retired-lineages")
public class RetiredLineageResource {

    @Inject
    RetiredLineages retired;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The domain's retired lineages, newest first: each earlier VM's UUID, the UUID that replaced "
            + "it, when, and its checkpoints as they were")
    public Uni<List<RetiredLineages.Retired>> list(@PathParam("domain") String domain) {
        return retired.list(domain);
    }
}
