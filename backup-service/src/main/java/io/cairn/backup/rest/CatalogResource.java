package io.cairn.backup.rest;

import io.cairn.backup.service.ArtifactCatalog;
import io.cairn.core.security.CairnRoles;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
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

/**
 * The backup catalog over REST, read-only: a domain's artifacts and its restore points (which artifacts restore each
 * disk at each checkpoint, or why they cannot). Domain scope is the core's DomainScopeFilter's, as for every
 * {@code {domain}} path.
 */
// Rooted where BackupResource is: JAX-RS picks one class by its path first, so a class rooted deeper
// ("/api/v1/domains/{domain}") would take every domain path and answer 404 for BackupResource's.
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    ArtifactCatalog catalog;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/artifacts")
    @Operation(summary = "The domain's backup artifacts, oldest first: per completed push backup and disk, the "
            + "checkpoint it holds, the one it is incremental from (null: full), file, format, size and SHA-256")
    public Uni<List<ArtifactView>> artifacts(@PathParam("domain") String domain) {
        return catalog.artifacts(domain).map(found -> found.stream().map(ArtifactView::of).toList());
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/restore-points")
    @Operation(summary = "The domain's restore points, newest first: per disk the chain of artifacts from a full "
            + "backup up, or why it is incomplete")
    public Uni<List<RestorePointView>> restorePoints(@PathParam("domain") String domain) {
        return catalog.restorePoints(domain).map(points -> points.stream().map(RestorePointView::of).toList());
    }

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Path("domains/{domain}/restore-points/{checkpoint}")
    @Operation(summary = "The latest restore point holding the checkpoint; 404 VIR_ERR_NO_DOMAIN_CHECKPOINT if no "
            + "artifact holds it")
    public Uni<RestorePointView> restorePoint(@PathParam("domain") String domain,
            @PathParam("checkpoint") String checkpoint) {
        return catalog.restorePoints(domain).map(points -> points.stream()
                .filter(point -> checkpoint.equals(point.checkpoint())).findFirst().map(RestorePointView::of)
                .orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT,
                        "no restore point holds checkpoint '" + checkpoint + "'")));
    }
}
