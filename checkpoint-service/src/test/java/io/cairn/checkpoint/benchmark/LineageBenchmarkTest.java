package io.cairn.checkpoint.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.checkpoint.service.LineageStore;
import io.cairn.checkpoint.service.lineage.CheckpointListFlag;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.events.xml.CheckpointXml;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures the lineage at fleet scale (1,000 domains x 100 checkpoints in PostgreSQL): listing, topological listing,
 * descendants and one checkpoint's XML, both end to end through {@link LineageStore} (load + answer) and on a loaded
 * tree, plus the heap 1,000 resident trees take. Run with {@code mvn -pl checkpoint-service verify -Dgroups=benchmark}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
@Tag("benchmark")
class LineageBenchmarkTest {
    private static final int DOMAINS = 1_000;
    private static final int CHECKPOINTS_PER_DOMAIN = 100;
    private static final int WARMUP = 300;
    private static final int SAMPLES = 500;
    private static final int IN_MEMORY_SAMPLES = 5_000;

    /** A typical inactive domain definition as libvirt embeds it (two qcow2 disks, one NIC, a VNC password). */
    private static final String DOMAIN_XML = """
            <domain type='kvm'>
              <name>bench</name>
              <uuid>6b2f0c4e-1111-2222-3333-444455556666</uuid>
              <memory unit='KiB'>4194304</memory>
              <vcpu placement='static'>2</vcpu>
              <os><type arch='x86_64' machine='pc-q35-8.2'>hvm</type><boot dev='hd'/></os>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='/var/lib/libvirt/images/bench-vda.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='/var/lib/libvirt/images/bench-vdb.qcow2'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
                <interface type='network'><source network='default'/><model type='virtio'/></interface>
                <graphics type='vnc' port='-1' autoport='yes' passwd='secret'/>
              </devices>
            </domain>""";

    /**
     * Seeds every domain in one transaction with set-based SQL: checkpoint i's parent is i-1, except every tenth,
     * which branches from i-5, so trees have depth, siblings and several leaves; the newest is current.
     */
    private static final String SEED_CHECKPOINTS = """
            INSERT INTO checkpoint (domain, name, parent_name, creation_time, description, disks, domain_xml, health,
                                    created_by_command, version, created_at, updated_at)
            SELECT $1 || d, 'c' || i,
                   CASE WHEN i = 1 THEN NULL WHEN i % 10 = 0 THEN 'c' || (i - 5) ELSE 'c' || (i - 1) END,
                   1700000000 + i * 3600, 'nightly ' || i,
                   jsonb_build_object('disks', jsonb_build_array(
                       jsonb_build_object('name', 'vda', 'checkpoint', 'bitmap', 'bitmap', 'c' || i),
                       jsonb_build_object('name', 'vdb', 'checkpoint', 'bitmap', 'bitmap', 'c' || i))),
                   $2, 'ACTIVE', 'bench-' || d || '-' || i, 0, now(), now()
            FROM generate_series(1, $3::int) d, generate_series(1, $4::int) i""";
    private static final String SEED_DOMAINS = """
            INSERT INTO checkpoint_domain (domain, current_checkpoint, version, updated_at)
            SELECT $1 || d, 'c' || $2::int, 0, now() FROM generate_series(1, $3::int) d""";

    @Inject
    LineageStore store;

    @Inject
    Pool pool;

    private final CheckpointXml xml = new CheckpointXml();
    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final Random random = new Random(7);
    private final StringBuilder report = new StringBuilder();
    private long consumed;

    @Test
    @RunOnVertxContext
    void measuresLineageOperationsAtFleetScale(UniAsserter asserter) {
        long[] seedMillis = new long[1];
        asserter.execute(() -> timed(seed()).invoke(nanos -> seedMillis[0] = nanos / 1_000_000));
        asserter.execute(() -> {
            line("seeded %d domains x %d checkpoints in %d ms", DOMAINS, CHECKPOINTS_PER_DOMAIN, seedMillis[0]);
            line("end to end through LineageStore.read (load the domain's rows + answer), random domains, %d samples "
                    + "after %d warm-up reads each", SAMPLES, WARMUP);
            return Uni.createFrom().voidItem();
        });
        asserter.execute(() -> endToEnd("list (no flags)", tree -> tree.listAll()));
        asserter.execute(() -> endToEnd("list TOPOLOGICAL", tree -> tree.listAll(CheckpointListFlag.TOPOLOGICAL)));
        asserter.execute(() -> endToEnd("children c1 DESCENDANTS",
                tree -> tree.listChildren("c1", CheckpointListFlag.DESCENDANTS)));
        asserter.execute(() -> endToEnd("XML of c50 (with domain)", tree -> xml.format(tree.lookup("c50").definition())));
        asserter.execute(() -> store.read(prefix + 1, tree -> tree).invoke(this::inMemory));
        asserter.execute(this::heapWithEveryTreeResident);
        asserter.execute(() -> pool.preparedQuery("DELETE FROM checkpoint_domain WHERE domain LIKE $1")
                .execute(Tuple.of(prefix + "%")).replaceWithVoid());
        asserter.execute(() -> {
            System.out.println("\n===== checkpoint-service lineage benchmark =====\n" + report);
            return Uni.createFrom().voidItem();
        });
        asserter.execute(() -> {
            try {
                Files.writeString(Path.of("target", "lineage-benchmark.txt"), report.toString());
            } catch (java.io.IOException e) {
                return Uni.createFrom().failure(e);
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> seed() {
        return pool.withTransaction(connection -> connection.preparedQuery(SEED_DOMAINS)
                        .execute(Tuple.of(prefix, CHECKPOINTS_PER_DOMAIN, DOMAINS))
                        .flatMap(rows -> connection.preparedQuery(SEED_CHECKPOINTS)
                                .execute(Tuple.of(prefix, DOMAIN_XML, DOMAINS, CHECKPOINTS_PER_DOMAIN))))
                .replaceWithVoid();
    }

    private <T> Uni<Void> endToEnd(String label, Function<CheckpointTree, T> query) {
        IntFunction<Uni<Long>> sample = i -> timed(store.read(prefix + (1 + random.nextInt(DOMAINS)), query));
        return sequentially(WARMUP, sample)
                .flatMap(warm -> sequentially(SAMPLES, sample))
                .invoke(nanos -> line("  %-28s median %8.3f ms   p99 %8.3f ms", label,
                        percentile(nanos, 50), percentile(nanos, 99)))
                .replaceWithVoid();
    }

    private void inMemory(CheckpointTree tree) {
        assertThat(tree.size()).isEqualTo(CHECKPOINTS_PER_DOMAIN);
        assertThat(tree.listAll(CheckpointListFlag.TOPOLOGICAL).get(0).name()).isEqualTo("c1");
        assertThat(tree.listChildren("c1", CheckpointListFlag.DESCENDANTS)).hasSize(CHECKPOINTS_PER_DOMAIN - 1);
        assertThat(xml.format(tree.lookup("c50").definition())).contains("<name>c50</name>");
        line("on one loaded tree (no database), %d samples", IN_MEMORY_SAMPLES);
        measureInMemory("list (no flags)", () -> tree.listAll());
        measureInMemory("list TOPOLOGICAL", () -> tree.listAll(CheckpointListFlag.TOPOLOGICAL));
        measureInMemory("children c1 DESCENDANTS", () -> tree.listChildren("c1", CheckpointListFlag.DESCENDANTS));
        measureInMemory("XML of c50 (with domain)", () -> xml.format(tree.lookup("c50").definition()));
        line("  (checksum of results: %d)", consumed);
    }

    private void measureInMemory(String label, Supplier<Object> operation) {
        long[] nanos = new long[IN_MEMORY_SAMPLES];
        for (int i = 0; i < WARMUP * 10; i++) {
            consumed += operation.get().hashCode();
        }
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            // Using every result keeps the JIT from dropping work whose result nobody reads.
            consumed += operation.get().hashCode();
            nanos[i] = System.nanoTime() - start;
        }
        line("  %-28s median %8.3f ms   p99 %8.3f ms", label, percentile(asList(nanos), 50), percentile(asList(nanos), 99));
    }

    /** Loads all 1,000 trees, keeps them, and reads the heap after a collection: what resident lineages cost. */
    private Uni<Void> heapWithEveryTreeResident() {
        long before = usedHeapAfterGc();
        return sequentially(DOMAINS, i -> store.read(prefix + (i + 1), tree -> tree))
                .invoke(trees -> {
                    long after = usedHeapAfterGc();
                    int checkpoints = trees.stream().mapToInt(CheckpointTree::size).sum();
                    assertThat(checkpoints).isEqualTo(DOMAINS * CHECKPOINTS_PER_DOMAIN);
                    line("heap: used %d MiB before loading, %d MiB with all %d trees (%d checkpoints) resident "
                            + "(%.1f KiB per tree incl. domain XML); max heap %d MiB",
                            before >> 20, after >> 20, trees.size(), checkpoints,
                            (after - before) / 1024.0 / trees.size(),
                            Runtime.getRuntime().maxMemory() >> 20);
                    assertThat(trees.get(0).lookup("c100").parent()).isEqualTo("c95");
                })
                .replaceWithVoid();
    }

    @SuppressWarnings("java:S1215") // an explicit collection is the point: the figure must not include garbage
    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static <T> Uni<List<T>> sequentially(int count, IntFunction<Uni<T>> step) {
        return Multi.createFrom().range(0, count)
                .onItem().transformToUniAndConcatenate(step::apply)
                .collect().asList();
    }

    private static <T> Uni<Long> timed(Uni<T> operation) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return operation.map(ignored -> System.nanoTime() - start);
        });
    }

    private static List<Long> asList(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static double percentile(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
