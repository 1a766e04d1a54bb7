package io.cairn.backup.rest;

import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.HostInventory;
import io.cairn.core.security.CairnRoles;
import io.cairn.core.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The fleet as the host agents last reported it: which host runs which domain, with its disks and bitmaps. */
@Path("/api/v1/hosts")
public class FleetResource {

    @Inject
    HostDirectory hosts;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed(CairnRoles.VIEWER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every host agent's last inventory: hosts, their running domains, disks and bitmaps")
    public List<HostInventory> hosts() {
        // In memory (the directory is fed by the compacted inventory topic): no I/O, safe on the event loop.
        // A caller sees the hosts, but of their domains only those in its scope.
        return hosts.all().stream().sorted(Comparator.comparing(HostInventory::hostId))
                .map(host -> new HostInventory(host.hostId(), host.time(), host.domains().stream()
                        .filter(domain -> caller.sees(domain.name())).toList(), host.agentStartedAt()))
                .toList();
    }
}
