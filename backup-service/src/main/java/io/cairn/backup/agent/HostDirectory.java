package io.cairn.backup.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Where each domain runs, from the agents' inventories (the compacted cairn.host.inventory, read whole at start by
 * every replica): the host to send backup work to, the domain's disks for libvirt's disk alignment, and the bitmaps
 * that tell which checkpoints exist there. Copied from checkpoint-service until the two move to a shared module.
 */
@ApplicationScoped
public class HostDirectory {
    private static final Logger LOG = Logger.getLogger(HostDirectory.class);

    /** A domain as its host last reported it. */
    public record Placement(String hostId, DomainInventory domain, java.time.Instant reportedAt) {
    }

    private final Map<String, HostInventory> hosts = new ConcurrentHashMap<>();

    @Incoming("host-inventory")
    public void onInventory(String payload) {
        if (payload == null) {
            return; // a tombstone: the host is gone; its entry ages out with the next report of the domain elsewhere
        }
        try {
            HostInventory inventory = CairnJson.mapper().readValue(payload, HostInventory.class);
            hosts.merge(inventory.hostId(), inventory, (old, fresh) -> fresh.time().isBefore(old.time()) ? old : fresh);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable host inventory: %s", e.getMessage());
        }
    }

    /** Every host's last report. */
    public java.util.Collection<HostInventory> all() {
        return List.copyOf(hosts.values());
    }

    /** The newest report of a host running the domain. */
    public Optional<Placement> find(String domain) {
        Placement best = null;
        for (HostInventory host : hosts.values()) {
            for (DomainInventory candidate : host.domains()) {
                if (candidate.name().equals(domain) && (best == null || host.time().isAfter(best.reportedAt()))) {
                    best = new Placement(host.hostId(), candidate, host.time());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Like {@link #find} but refuses with libvirt's error when no agent reports the domain running. */
    public Placement require(String domain) {
        return find(domain).orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN,
                "Domain not found: no host agent reports a running domain named '" + domain + "'"));
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
