package io.cairn.agent.domain;

import io.cairn.agent.inventory.VmInventory;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpJob;
import io.cairn.events.agent.BitmapInfo;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Builds the host's {@link HostInventory}: every reachable domain with its disks, all their bitmaps
 * (including inconsistent ones, which is how the services learn a crash broke a checkpoint chain) and the
 * jobs QEMU still holds. A domain whose QEMU is gone is left out rather than failing the whole host; one whose QEMU
 * is there but did not answer this time is reported as last seen, for a while.
 */
@ApplicationScoped
public class HostInventoryBuilder {

    private static final Logger LOG = Logger.getLogger(HostInventoryBuilder.class);

    /** How long a domain whose QEMU does not answer is still reported as last seen. */
    static final Duration KEEP_LAST_SEEN = Duration.ofMinutes(2);

    /** A domain's last complete inventory, and when it was taken. */
    private record Seen(DomainInventory domain, Instant at) {
    }

    private final Map<String, Seen> lastGood = new ConcurrentHashMap<>();
    private final DomainRegistry registry;

    @Inject
    public HostInventoryBuilder(DomainRegistry registry) {
        this.registry = registry;
    }

    /** When this agent process started; the services judge a silent job against it after a restart. */
    private static final Instant STARTED_AT = Instant.now();

    public Uni<HostInventory> build() {
        return registry.listDomains().flatMap(this::build);
    }

    private Uni<HostInventory> build(List<String> names) {
        List<Uni<DomainInventory>> domains = names.stream()
                .map(name -> domain(name).invoke(found -> lastGood.put(name, new Seen(found, Instant.now())))
                        .onFailure().recoverWithItem(failure -> stillThere(name, failure)))
                .toList();
        lastGood.keySet().retainAll(names);
        if (domains.isEmpty()) {
            return Uni.createFrom().item(new HostInventory(registry.hostId(), Instant.now(), List.of(), STARTED_AT));
        }
        return Uni.join().all(domains).andCollectFailures()
                .map(list -> new HostInventory(registry.hostId(), Instant.now(),
                        list.stream().filter(Objects::nonNull).toList(), STARTED_AT));
    }

    /**
     * A domain whose QEMU answered the last report but not this one (a slow or garbled QMP answer) is reported as last
     * seen for a while: the services read an inventory without a domain as "not running here" and refuse its
     * commands. A QEMU that is gone (its socket refuses) is left out at once, as is one that stays silent too long.
     */
    private DomainInventory stillThere(String name, Throwable failure) {
        Seen seen = lastGood.get(name);
        boolean gone = failure instanceof CairnException e && e.code() == VirErrorCode.VIR_ERR_NO_DOMAIN;
        if (gone || seen == null || seen.at().isBefore(Instant.now().minus(KEEP_LAST_SEEN))) {
            LOG.warnf("inventory: domain %s left out of this report: %s", name, failure.toString());
            lastGood.remove(name);
            return null;
        }
        LOG.warnf("inventory: domain %s reported as last seen at %s, its QEMU did not answer now: %s", name,
                seen.at(), failure.toString());
        return seen.domain();
    }

    public Uni<DomainInventory> domain(String name) {
        return registry.connection(name).flatMap(connection -> Uni.combine().all().unis(
                        connection.inventory(),
                        connection.commands().queryNamedBlockNodes(),
                        connection.commands().queryJobs(),
                        connection.client().execute("query-status"),
                        connection.client().execute("query-uuid"))
                .with((vm, nodes, jobs, status, uuid) -> toDomain(vm, nodes, jobs, status.path("status").asText(""),
                        uuidOf(uuid.path("UUID").asText("")))));
    }

    /** QEMU's domain UUID (libvirt's {@code <uuid>}, QEMU's {@code -uuid}); null when it has none (all zeros). */
    static String uuidOf(String reported) {
        if (reported.isEmpty() || reported.equals("00000000-0000-0000-0000-000000000000")) {
            return null;
        }
        return reported.toLowerCase(java.util.Locale.ROOT);
    }

    private static DomainInventory toDomain(VmInventory vm, List<BlockNode> nodes, List<QmpJob> jobs, String runState,
            String uuid) {
        List<DiskInventory> disks = vm.disks().stream().map(disk -> new DiskInventory(disk.deviceId(),
                disk.formatNodeName(), disk.imageFilename(), disk.driver(), disk.virtualSize(),
                nodes.stream().filter(node -> node.nodeName().equals(disk.formatNodeName()))
                        .findFirst().map(BlockNode::readOnly).orElse(false),
                disk.bitmaps().stream().map(HostInventoryBuilder::toInfo).toList())).toList();
        return new DomainInventory(vm.domain(), uuid, runState, disks, jobs.stream().map(QmpJob::id).toList());
    }

    private static BitmapInfo toInfo(DirtyBitmap bitmap) {
        return new BitmapInfo(bitmap.name().orElse(""), bitmap.recording(), bitmap.persistent(), bitmap.inconsistent(),
                bitmap.busy(), bitmap.granularity(), bitmap.count());
    }
}
