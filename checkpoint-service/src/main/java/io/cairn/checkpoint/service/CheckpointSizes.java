package io.cairn.checkpoint.service;

import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.MeasureBitmapsRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/**
 * libvirt's GetXMLDesc(SIZE): asks the domain's host how many bytes were dirtied since the checkpoint on each disk;
 * a disk whose bitmap chain is invalid gets no size, as in libvirt.
 */
@ApplicationScoped
public class CheckpointSizes {

    @Inject
    HostDirectory hosts;

    @Inject
    AgentGateway agents;

    public Uni<CheckpointDefinition> withSizes(String domain, CheckpointDefinition definition) {
        HostDirectory.Placement placement = hosts.find(domain).orElseThrow(() -> new CairnException(
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "domain is not running"));
        List<DiskBitmap> bitmaps = definition.disks() == null ? List.of() : definition.disks().stream()
                .filter(d -> d.checkpoint() == CheckpointDiskMode.BITMAP)
                .map(d -> new DiskBitmap(d.name(), d.bitmap())).toList();
        return agents.call(new MeasureBitmapsRequest("size-" + UUID.randomUUID(), placement.hostId(), domain, bitmaps))
                .map(result -> {
                    if (!result.success()) {
                        throw new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, result.error().message());
                    }
                    List<CheckpointDisk> disks = definition.disks().stream()
                            .map(disk -> new CheckpointDisk(disk.name(), disk.checkpoint(), disk.bitmap(),
                                    sizeOf(result.bitmaps(), disk.name())))
                            .toList();
                    return new CheckpointDefinition(definition.name(), definition.description(), definition.parent(),
                            definition.creationTime(), disks, definition.domainXml());
                });
    }

    private static Long sizeOf(List<BitmapCheck> checks, String disk) {
        return checks.stream().filter(c -> c.disk().equals(disk) && c.valid()).map(BitmapCheck::size)
                .findFirst().orElse(null);
    }
}
