package io.cairn.core.agent;

import io.cairn.events.agent.HostInventory;
import io.smallrye.mutiny.Uni;

/**
 * A service's reaction to a host's fresh inventory (checkpoint-service judges its lineage's health by it). Handed
 * only the domains placed on that host, and only for a recent report newer than any the directory held.
 */
public interface InventoryObserver {
    Uni<Void> onFreshInventory(HostInventory placedHere);
}
