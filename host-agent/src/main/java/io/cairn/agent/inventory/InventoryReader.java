package io.cairn.agent.inventory;

import io.cairn.agent.qmp.BlockDevice;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpCommands;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads which disks a QEMU has and which checkpoint bitmaps each carries, by joining query-block
 * (device → inserted node) with query-named-block-nodes (node → bitmaps). query-block's own
 * dirty-bitmaps member is not used: under a backup filter it lists the filter's, not the disk's.
 */
public final class InventoryReader {

    private final QmpCommands commands;

    public InventoryReader(QmpCommands commands) {
        this.commands = commands;
    }

    public Uni<VmInventory> read() {
        return Uni.combine().all().unis(commands.queryBlock(), commands.queryNamedBlockNodes())
                .with((devices, nodes) -> new VmInventory(commands.client().domain(), disks(devices, nodes)));
    }

    private static List<DiskInventory> disks(List<BlockDevice> devices, List<BlockNode> nodes) {
        List<DiskInventory> disks = new ArrayList<>();
        for (BlockDevice device : devices) {
            // Empty drives (no medium) and anonymous devices cannot carry checkpoints we could address.
            if (device.insertedNodeName().isEmpty() || device.deviceId().isEmpty()) {
                continue;
            }
            String deviceId = device.deviceId().get();
            BlockNode format = FormatNodeResolver.resolve(deviceId, device.insertedNodeName().get(), nodes);
            disks.add(new DiskInventory(deviceId, format.nodeName(), format.driver(), format.filename(),
                    format.virtualSize(), namedBitmaps(format)));
        }
        return disks;
    }

    private static List<DirtyBitmap> namedBitmaps(BlockNode node) {
        return node.dirtyBitmaps().stream().filter(bitmap -> bitmap.name().isPresent()).toList();
    }
}
