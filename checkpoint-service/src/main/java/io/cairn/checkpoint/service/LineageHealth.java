package io.cairn.checkpoint.service;

import io.cairn.checkpoint.service.lineage.BitmapOwnership;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.core.agent.InventoryObserver;
import io.cairn.events.agent.BitmapInfo;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.event.CheckpointBrokenEvent;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.core.outbox.EventOutbox;
import io.cairn.core.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Compares each domain's lineage with the bitmaps its host really has: a checkpoint whose bitmap is missing or
 * inconsistent on a disk becomes broken (event checkpoint-broken), so an incremental backup from it is refused
 * instead of silently reading a wrong base. Bitmaps no checkpoint owns are logged.
 */
@ApplicationScoped
public class LineageHealth implements InventoryObserver {
    private static final Logger LOG = Logger.getLogger(LineageHealth.class);
    /** An inventory taken just before a create committed does not show its bitmaps yet: judge only older ones. */
    @ConfigProperty(name = "cairn.health.settle", defaultValue = "30s")
    Duration settle;

    @Inject
    LineageStore lineage;

    @Inject
    EventOutbox outbox;

    @Inject
    OutboxRelay relay;

    @Override
    public Uni<Void> onFreshInventory(HostInventory placedHere) {
        return check(placedHere);
    }

    public Uni<Void> check(HostInventory inventory) {
        return Multi.createFrom().iterable(inventory.domains())
                .onItem().transformToUniAndConcatenate(domain -> check(domain, inventory.time()))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> check(DomainInventory domain, Instant seenAt) {
        // A VM re-created under the name (another UUID) retires the old lineage first, so it is never judged by
        // the new VM's disks. Most inventories change nothing: look without locking, and write only when something
        // broke.
        return lineage.followIdentityIfChanged(domain.name())
                .flatMap(followed -> lineage.read(domain.name(), tree -> !markBroken(tree, domain, seenAt).isEmpty()))
                .flatMap(broke -> broke ? markAndPublish(domain, seenAt) : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("health check of %s failed: %s", domain.name(), failure.getMessage());
                    return null;
                });
    }

    private Uni<Void> markAndPublish(DomainInventory domain, Instant seenAt) {
        return Panache.withTransaction(() -> lineage.update(domain.name(), tree -> markBroken(tree, domain, seenAt))
                .flatMap(events -> Multi.createFrom().iterable(events)
                        .onItem().transformToUniAndConcatenate(outbox::add).collect().last().replaceWith(events)))
                .invoke(events -> relay.kick()).replaceWithVoid();
    }

    private List<CheckpointBrokenEvent> markBroken(CheckpointTree tree, DomainInventory domain,
            Instant seenAt) {
        List<CheckpointBrokenEvent> events = new ArrayList<>();
        for (Checkpoint checkpoint : tree.checkpoints()) {
            boolean settled = Instant.ofEpochSecond(checkpoint.creationTime()).isBefore(seenAt.minus(settle));
            if (!settled || checkpoint.health().isBroken() || checkpoint.definition().disks() == null) {
                continue;
            }
            List<BrokenBitmap> broken = new ArrayList<>();
            for (CheckpointDisk disk : checkpoint.definition().disks()) {
                if (disk.checkpoint() == CheckpointDiskMode.NO) {
                    continue;
                }
                problem(domain, disk.name(), disk.bitmap()).ifPresent(broken::add);
            }
            if (!broken.isEmpty()) {
                tree.markBroken(checkpoint.name(), broken);
                events.add(new CheckpointBrokenEvent(UUID.randomUUID().toString(), Instant.now(), domain.name(), null,
                        checkpoint.name(), broken));
            }
        }
        logUnowned(tree, domain);
        return events;
    }

    private static Optional<BrokenBitmap> problem(DomainInventory domain, String diskName, String bitmap) {
        Optional<DiskInventory> disk = domain.disks().stream().filter(d -> d.device().equals(diskName)).findFirst();
        Optional<BitmapInfo> info = disk.flatMap(d -> d.bitmaps().stream()
                .filter(b -> bitmap.equals(b.name())).findFirst());
        if (info.isEmpty()) {
            return Optional.of(new BrokenBitmap(diskName, bitmap, BitmapProblem.MISSING, "bitmap '" + bitmap
                    + "' is not on disk '" + diskName + "'"));
        }
        if (info.get().inconsistent()) {
            return Optional.of(new BrokenBitmap(diskName, bitmap, BitmapProblem.INCONSISTENT, "bitmap '" + bitmap
                    + "' on disk '" + diskName + "' is inconsistent (QEMU did not close it cleanly)"));
        }
        return Optional.empty();
    }

    private static void logUnowned(CheckpointTree tree, DomainInventory domain) {
        for (BitmapOwnership.DiskBitmap bitmap : BitmapOwnership.of(tree, domain)) {
            if (bitmap.unowned()) {
                LOG.debugf("bitmap %s on %s/%s belongs to no checkpoint (GET /api/v1/domains/%s/bitmaps)",
                        bitmap.bitmap(), domain.name(), bitmap.disk(), domain.name());
            }
        }
    }
}
