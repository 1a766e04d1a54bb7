package io.cairn.events.agent;

import java.time.Instant;
import java.util.List;

/**
 * Everything one host runs, published by its agent on {@code cairn.host.inventory} (compacted, keyed by hostId):
 * where each domain runs and which bitmaps really exist, so the services can find hosts and detect drift.
 */
public record HostInventory(String hostId, Instant time, List<DomainInventory> domains) {
    public HostInventory {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }
}
