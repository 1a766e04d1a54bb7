package io.cairn.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.error.CairnException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one host directory both services place work with. backup-service's copy lacked the migration rule, so a
 * backup could be sent to a live migration's destination, whose QEMU has no bitmaps until the migration ends.
 */
class HostDirectoryTest {

    private final HostDirectory directory = new HostDirectory();

    @Test
    void neverPlacesADomainOnTheDestinationOfAMigrationEvenWhenItsReportIsNewer() {
        Instant now = Instant.now();
        directory.remember(host("source", now, "vm1", "running"));
        directory.remember(host("destination", now.plusSeconds(5), "vm1", "inmigrate"));
        assertThat(directory.require("vm1").hostId()).isEqualTo("source");
    }

    @Test
    void followsTheDomainOnceItRunsOnTheDestinationAndTheSourceHasLeftIt() {
        Instant now = Instant.now();
        directory.remember(host("source", now.plusSeconds(10), "vm1", "postmigrate"));
        directory.remember(host("destination", now.plusSeconds(9), "vm1", "running"));
        assertThat(directory.require("vm1").hostId()).isEqualTo("destination");
    }

    @Test
    void aDomainOnlyMigratingIsNotFound() {
        directory.remember(host("destination", Instant.now(), "vm2", "inmigrate"));
        assertThat(directory.find("vm2")).isEmpty();
        assertThatThrownBy(() -> directory.require("vm2")).isInstanceOf(CairnException.class)
                .hasMessageContaining("no host agent reports a running domain named 'vm2'");
    }

    @Test
    void anOlderReportOfAHostNeverReplacesANewerOne() {
        Instant now = Instant.now();
        directory.remember(host("a", now, "vm3", "running"));
        HostInventory older = host("a", now.minusSeconds(30), "vm4", "running");
        assertThat(directory.remember(older)).isNotSameAs(older);
        assertThat(directory.find("vm4")).isEmpty();
    }

    private static HostInventory host(String hostId, Instant time, String domain, String runState) {
        return new HostInventory(hostId, time, List.of(new DomainInventory(domain, runState, List.of(), List.of())));
    }
}
