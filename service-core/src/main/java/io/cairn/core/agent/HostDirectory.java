package io.cairn.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.core.failure.VirErrors;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Where each domain runs, from the agents' inventories (every host's compacted cairn.agent.&lt;host&gt;.inventory, read
 * whole at start by every replica, believed only from the reporting host's own topic): the host to send work to, the domain's disks for libvirt's disk alignment, and the bitmaps that
 * tell which checkpoints exist there. A domain is placed only on a host that runs it: never on the destination of
 * a live migration still receiving it, nor on the source it has left.
 */
@ApplicationScoped
public class HostDirectory {
    private static final Logger LOG = Logger.getLogger(HostDirectory.class);

    /** A domain as its host last reported it. */
    public record Placement(String hostId, DomainInventory domain, Instant reportedAt) {
    }

    /** Agents report every 30 s: an inventory older than this has a newer one behind it, or a dead agent. */
    private static final Duration JUDGE_WITHIN = Duration.ofMinutes(2);

    /**
     * QEMU run states of a domain that is not running on that host: the destination of a live migration still
     * receiving it (its bitmaps arrive only at the end) and the source it has left.
     */
    private static final Set<String> MIGRATING = Set.of("inmigrate", "postmigrate");

    private final Map<String, HostInventory> hosts = new ConcurrentHashMap<>();

    @Inject
    Instance<InventoryObserver> observers;

    @Inject
    ReportOrigin origin;

    @Incoming("host-inventory")
    public Uni<Void> onInventory(ConsumerRecord<String, String> record) {
        String payload = record.value();
        if (payload == null) {
            return Uni.createFrom().voidItem(); // a tombstone: the host is gone; its domains show up elsewhere
        }
        HostInventory inventory;
        try {
            inventory = CairnJson.mapper().readValue(payload, HostInventory.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable host inventory: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!origin.inventoryIsGenuine(record.topic(), inventory.hostId())) {
            return Uni.createFrom().voidItem();
        }
        HostInventory kept = remember(inventory);
        // Old inventories replayed at start only refresh the directory; observers see the newest, and only when it
        // is recent: the compacted topic replays every report not yet compacted away, and reacting to each one
        // would keep the directory minutes behind a fresh start.
        boolean recent = inventory.time().isAfter(Instant.now().minus(JUDGE_WITHIN));
        if (kept != inventory || !recent || observers == null || observers.isUnsatisfied()) {
            return Uni.createFrom().voidItem();
        }
        HostInventory placed = placedHere(inventory);
        return Multi.createFrom().iterable(observers).onItem()
                .transformToUniAndConcatenate(observer -> observer.onFreshInventory(placed))
                .collect().last().replaceWithVoid();
    }

    /** Keeps the host's newest report; answers the report kept. */
    public HostInventory remember(HostInventory inventory) {
        return hosts.merge(inventory.hostId(), inventory,
                (old, fresh) -> fresh.time().isBefore(old.time()) ? old : fresh);
    }

    /** When the host last published its inventory (its agent was alive then); empty for a host never heard of. */
    public Optional<Instant> lastSeen(String hostId) {
        return Optional.ofNullable(hosts.get(hostId)).map(HostInventory::time);
    }

    /** When the agent now publishing the host's inventory started; empty when unknown. */
    public Optional<Instant> agentStartedAt(String hostId) {
        return Optional.ofNullable(hosts.get(hostId)).map(HostInventory::agentStartedAt);
    }

    /** Every host's last report. */
    public Collection<HostInventory> all() {
        return List.copyOf(hosts.values());
    }

    /**
     * The report's domains that run on its host: a domain is judged only where it is placed, never by a copy
     * that is still migrating in, has migrated out, or by an older report of a host it has left.
     */
    private HostInventory placedHere(HostInventory inventory) {
        return new HostInventory(inventory.hostId(), inventory.time(), inventory.domains().stream()
                .filter(d -> find(d.name()).filter(p -> p.hostId().equals(inventory.hostId())).isPresent())
                .toList(), inventory.agentStartedAt());
    }

    /** The newest report of a host running the domain (not merely migrating it in or out). */
    public Optional<Placement> find(String domain) {
        Placement best = null;
        for (HostInventory host : hosts.values()) {
            for (DomainInventory candidate : host.domains()) {
                if (candidate.name().equals(domain) && !MIGRATING.contains(candidate.runState())
                        && (best == null || host.time().isAfter(best.reportedAt()))) {
                    best = new Placement(host.hostId(), candidate, host.time());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Like {@link #find} but refuses with libvirt's error when no agent reports the domain running. */
    public Placement require(String domain) {
        return find(domain).orElseThrow(() -> VirErrors.noDomain(domain));
    }

    /** The domain's disks in the shape libvirt's alignment rules need. */
    public static DomainDisks disksOf(DomainInventory domain) {
        List<DomainDiskInfo> disks = domain.disks().stream().map(HostDirectory::toDiskInfo).toList();
        return new DomainDisks(disks);
    }

    private static DomainDiskInfo toDiskInfo(DiskInventory disk) {
        DomainDiskInfo info = DomainDiskInfo.file(disk.device(), disk.file(), disk.format());
        return disk.readOnly() ? info.asReadonly() : info;
    }
}
