package io.cairn.events.agent;

import java.time.Instant;
import java.util.List;

/**
 * Everything one host runs, published by its agent on {@code cairn.agent.<host>.inventory} (compacted, keyed by
 * hostId):
 * where each domain runs and which bitmaps really exist, so the services can find hosts and detect drift.
 *
 * @param agentStartedAt when the agent process that publishes it started: an agent back from a restart has had only
 *                       since then to report the jobs it adopts (null from agents before the field existed)
 */
public record HostInventory(String hostId, Instant time, List<DomainInventory> domains, Instant agentStartedAt) {
    public HostInventory {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** An inventory that does not say when its agent started. */
    public HostInventory(String hostId, Instant time, List<DomainInventory> domains) {
        this(hostId, time, domains, null);
    }
}
