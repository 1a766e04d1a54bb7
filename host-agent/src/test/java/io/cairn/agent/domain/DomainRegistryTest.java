package io.cairn.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.agent.qmp.QmpClientOptions;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.testing.qemu.GuestlessQemu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery by socket name, one shared connection per domain, reconnect after a QEMU restart, host inventory. */
class DomainRegistryTest {

    private static final long MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void findsDomainsBuildsTheInventoryAndReconnects(@TempDir Path tempDir) throws IOException {
        Path sockets = Files.createDirectories(tempDir.resolve("qmp"));
        try (GuestlessQemu alpha = GuestlessQemu.builder(tempDir).domain("alpha")
                .uuid("6B29FC40-CA47-1067-B31D-00DD010662DA").disk("vda", 16 * MIB).start();
                GuestlessQemu beta = GuestlessQemu.builder(tempDir).domain("beta").disk("vda", 16 * MIB)
                        .disk("vdb", 32 * MIB).start()) {
            Files.createSymbolicLink(sockets.resolve("alpha.qmp"), alpha.qmpSocket());
            Files.createSymbolicLink(sockets.resolve("beta.qmp"), beta.qmpSocket());
            Files.writeString(sockets.resolve("notes.txt"), "not a socket");
            DomainRegistry registry = new DomainRegistry("host-7", sockets, QmpClientOptions.DEFAULTS);
            try {
                assertThat(registry.domainNames()).containsExactly("alpha", "beta");
                DomainConnection first = registry.connection("alpha").await().atMost(WAIT);
                assertThat(registry.connection("alpha").await().atMost(WAIT)).as("shared").isSameAs(first);
                first.commands().transaction(List.of(TransactionAction.addBitmap(alpha.disk("vda").formatNodeName(),
                        "chk1", true, false))).await().atMost(WAIT);

                HostInventory inventory = new HostInventoryBuilder(registry).build().await().atMost(WAIT);
                assertThat(inventory.hostId()).isEqualTo("host-7");
                assertThat(inventory.domains()).extracting(DomainInventory::name).containsExactly("alpha", "beta");
                DomainInventory alphaInventory = inventory.domains().get(0);
                assertThat(alphaInventory.runState()).isEqualTo("prelaunch");
                assertThat(alphaInventory.uuid()).as("QEMU's query-uuid, lower case")
                        .isEqualTo("6b29fc40-ca47-1067-b31d-00dd010662da");
                assertThat(inventory.domains().get(1).uuid()).as("no -uuid: QEMU's all-zero UUID is none").isNull();
                assertThat(alphaInventory.disks().get(0).bitmaps()).extracting(b -> b.name()).containsExactly("chk1");
                assertThat(alphaInventory.disks().get(0).nodeName()).isEqualTo(alpha.disk("vda").formatNodeName());
                assertThat(inventory.domains().get(1).disks()).hasSize(2);

                alpha.kill9();
                assertThatThrownBy(() -> registry.connection("alpha").await().atMost(WAIT))
                        .isInstanceOfSatisfying(CairnException.class, e -> {
                            assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_NO_DOMAIN);
                            assertThat(e.getMessage()).isEqualTo("domain 'alpha' is not running on host 'host-7'");
                        });
                assertThat(new HostInventoryBuilder(registry).build().await().atMost(WAIT).domains())
                        .as("a dead QEMU is left out").extracting(DomainInventory::name).containsExactly("beta");

                alpha.restart();
                DomainConnection second = registry.connection("alpha").await().atMost(WAIT);
                assertThat(second).isNotSameAs(first);
                assertThat(second.isOpen()).isTrue();
            } finally {
                registry.closeAll();
            }
        }
    }

    @Test
    void aQemuThatDoesNotAnswerOnceIsReportedAsLastSeenAndAGoneOneIsLeftOut(@TempDir Path dir) throws IOException {
        Path sockets = Files.createDirectories(dir.resolve("qmp"));
        try (GuestlessQemu slow = GuestlessQemu.builder(dir).domain("slow").disk("vda", 8L << 20).start()) {
            Files.createSymbolicLink(sockets.resolve("slow.qmp"), slow.qmpSocket());
            // Half a second per QMP command: a stopped QEMU fails the next report quickly, not after 30 s.
            DomainRegistry registry = new DomainRegistry("host-8", sockets,
                    new QmpClientOptions(Duration.ofMillis(500), Duration.ofSeconds(10)));
            try {
                HostInventoryBuilder builder = new HostInventoryBuilder(registry);
                HostInventory answered = builder.build().await().atMost(WAIT);
                assertThat(answered.domains()).extracting(DomainInventory::name).containsExactly("slow");

                slow.sigstop(); // alive, its socket open, but it answers nothing
                HostInventory silent = builder.build().await().atMost(WAIT);
                slow.sigcont();
                assertThat(silent.domains()).as("reported as last seen, not as gone").containsExactlyElementsOf(
                        answered.domains());

                slow.kill9();
                assertThat(builder.build().await().atMost(WAIT).domains()).as("a dead QEMU is left out at once")
                        .isEmpty();
            } finally {
                registry.closeAll();
            }
        }
    }
}
