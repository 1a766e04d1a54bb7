package io.cairn.agent.operation;

import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.inventory.DiskInventory;
import io.cairn.agent.inventory.VmInventory;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.DiskBitmap;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checkpoint bitmap work on one domain: add, remove, validate and measure, each shaped as libvirt does it. */
@ApplicationScoped
public class BitmapOperations {

    /** libvirt's name for the temporary bitmap of checkpoint SIZE (qemuCheckpointGetXMLDescUpdateSize). */
    public static final String SIZE_BITMAP = "libvirt-tmp-size-xml";

    /** Adds all bitmaps in one transaction, so a checkpoint exists on every disk or on none. */
    public Uni<Void> add(DomainConnection connection, List<DiskBitmap> bitmaps) {
        return connection.inventory().flatMap(vm -> {
            List<TransactionAction> actions = new ArrayList<>();
            for (DiskBitmap bitmap : bitmaps) {
                actions.add(BitmapActions.checkpoint(disk(vm, bitmap.disk()).formatNodeName(), bitmap.bitmap()));
            }
            return connection.commands().transaction(actions);
        });
    }

    /**
     * Removes the bitmaps in one transaction (libvirt's checkpoint delete). With ignoreMissing, bitmaps
     * (or disks) that are already gone are skipped, so undo and cleanup paths can be repeated safely.
     */
    public Uni<Void> remove(DomainConnection connection, List<DiskBitmap> bitmaps, boolean ignoreMissing) {
        return connection.inventory().flatMap(vm -> {
            List<TransactionAction> actions = new ArrayList<>();
            for (DiskBitmap bitmap : bitmaps) {
                Optional<DiskInventory> disk = vm.disk(bitmap.disk());
                if (ignoreMissing && (disk.isEmpty() || disk.get().bitmap(bitmap.bitmap()).isEmpty())) {
                    continue;
                }
                String node = disk.orElseThrow(() -> AgentErrors.noDisk(bitmap.disk())).formatNodeName();
                actions.add(TransactionAction.removeBitmap(node, bitmap.bitmap()));
            }
            return actions.isEmpty() ? Uni.createFrom().voidItem() : connection.commands().transaction(actions);
        });
    }

    public Uni<List<BitmapCheck>> validate(DomainConnection connection, List<DiskBitmap> bitmaps) {
        return connection.inventory().map(vm -> bitmaps.stream().map(bitmap -> {
            Optional<String> problem = BitmapChainRule.problem(disk(vm, bitmap.disk()), bitmap.bitmap());
            return new BitmapCheck(bitmap.disk(), bitmap.bitmap(), problem.isEmpty(), problem.orElse(null), null);
        }).toList());
    }

    /**
     * libvirt's checkpoint SIZE: per bitmap, merge it into a disabled non-persistent temporary bitmap, read
     * that one's dirty count, remove it. The count is read from the copy, not the live bitmap, because the
     * copy is the frozen value a backup started now would transfer. Bitmaps failing the chain rule get no size.
     */
    public Uni<List<BitmapCheck>> measure(DomainConnection connection, List<DiskBitmap> bitmaps) {
        return connection.inventory().flatMap(vm -> Multi.createFrom().iterable(bitmaps)
                .onItem().transformToUniAndConcatenate(bitmap -> measureOne(connection, vm, bitmap))
                .collect().asList());
    }

    private Uni<BitmapCheck> measureOne(DomainConnection connection, VmInventory vm, DiskBitmap bitmap) {
        DiskInventory disk = disk(vm, bitmap.disk());
        Optional<String> problem = BitmapChainRule.problem(disk, bitmap.bitmap());
        if (problem.isPresent()) {
            return Uni.createFrom().item(new BitmapCheck(bitmap.disk(), bitmap.bitmap(), false, problem.get(), null));
        }
        String node = disk.formatNodeName();
        long granularity = disk.bitmap(bitmap.bitmap()).orElseThrow().granularity();
        // A leftover from an interrupted measure would make the add fail; libvirt removes it first too.
        Uni<Void> dropLeftover = disk.bitmap(SIZE_BITMAP).isPresent()
                ? connection.commands().transaction(List.of(TransactionAction.removeBitmap(node, SIZE_BITMAP)))
                : Uni.createFrom().voidItem();
        Uni<Void> removeTemp = connection.commands().transaction(List.of(TransactionAction.removeBitmap(node, SIZE_BITMAP)));
        return dropLeftover
                .chain(() -> connection.commands().transaction(List.of(
                        BitmapActions.temporary(node, SIZE_BITMAP, granularity),
                        BitmapActions.mergeFrom(node, SIZE_BITMAP, node, bitmap.bitmap()))))
                .chain(() -> connection.commands().queryNamedBlockNodes())
                .map(nodes -> sizeOf(nodes, node))
                .call(size -> removeTemp)
                .onFailure().call(failure -> removeTemp.onFailure().recoverWithNull())
                .map(size -> new BitmapCheck(bitmap.disk(), bitmap.bitmap(), true, null, size));
    }

    private static long sizeOf(List<BlockNode> nodes, String node) {
        return nodes.stream().filter(candidate -> candidate.nodeName().equals(node)).findFirst()
                .flatMap(candidate -> candidate.bitmap(SIZE_BITMAP))
                .orElseThrow(() -> new IllegalStateException(SIZE_BITMAP + " vanished from " + node)).count();
    }

    static DiskInventory disk(VmInventory vm, String name) {
        return vm.disk(name).orElseThrow(() -> AgentErrors.noDisk(name));
    }
}
