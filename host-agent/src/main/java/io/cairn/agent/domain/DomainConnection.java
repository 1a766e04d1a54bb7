package io.cairn.agent.domain;

import io.cairn.agent.inventory.InventoryReader;
import io.cairn.agent.inventory.VmInventory;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpCommands;
import io.smallrye.mutiny.Uni;

/** The live QMP connection to one domain's QEMU, with the typed commands and inventory built on it. */
public final class DomainConnection {

    private final String domain;
    private final QmpClient client;
    private final QmpCommands commands;

    public DomainConnection(String domain, QmpClient client) {
        this.domain = domain;
        this.client = client;
        this.commands = new QmpCommands(client);
    }

    public String domain() {
        return domain;
    }

    public QmpClient client() {
        return client;
    }

    public QmpCommands commands() {
        return commands;
    }

    public Uni<VmInventory> inventory() {
        return new InventoryReader(commands).read();
    }

    public boolean isOpen() {
        return !client.isClosed();
    }
}
