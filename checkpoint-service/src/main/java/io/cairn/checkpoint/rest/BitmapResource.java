package io.cairn.checkpoint.rest;

import io.cairn.core.agent.HostDirectory;
import io.cairn.checkpoint.service.LineageStore;
import io.cairn.checkpoint.service.lineage.BitmapOwnership;
import io.smallrye.mutiny.Uni;
import io.cairn.core.security.CairnRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The bitmaps a domain's host reports, each with the checkpoint that owns it: where to find bitmaps nothing owns. */
@Path("/api/v1/domains/{domain}/bitmaps")
public class BitmapResource {

    @Inject
    HostDirectory hosts;

    @Inject
    LineageStore lineage;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every bitmap on the domain's disks (its host's last inventory) with its owning checkpoint; "
            + "unowned=true marks bitmaps no checkpoint owns")
    public Uni<List<BitmapOwnership.DiskBitmap>> bitmaps(@PathParam("domain") String domain) {
        HostDirectory.Placement placement = hosts.require(domain);
        return lineage.read(domain, tree -> BitmapOwnership.of(tree, placement.domain()));
    }
}
