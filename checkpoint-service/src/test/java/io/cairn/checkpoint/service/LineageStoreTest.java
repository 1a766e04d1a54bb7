package io.cairn.checkpoint.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.checkpoint.repository.CheckpointEntity;
import io.cairn.checkpoint.repository.CheckpointRepository;
import io.cairn.checkpoint.repository.PersistenceErrors;
import io.cairn.checkpoint.service.lineage.CheckpointListFlag;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.checkpoint.service.lineage.DeletionPlan;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.error.CairnException;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Proves the lineage survives PostgreSQL unchanged (every field, every flag of delete, health) and that the domain
 * row lock keeps concurrent writers consistent, against the real database.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class LineageStoreTest {
    private static final Set<CheckpointDeleteFlag> NO_FLAGS = EnumSet.noneOf(CheckpointDeleteFlag.class);

    @Inject
    LineageStore store;

    @Inject
    CheckpointRepository checkpointRepository;

    @Inject
    Vertx vertx;

    private static String uniqueDomain(String purpose) {
        return "vm-" + purpose + "-" + UUID.randomUUID();
    }

    private static CheckpointDefinition checkpoint(String name, String parent, long time) {
        return new CheckpointDefinition(name, "backup " + name, parent, time, List.of(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, name, null),
                new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, null)),
                "<domain type='kvm'><name>vm</name><uuid>6b2f0c4e-1111-2222-3333-444455556666</uuid></domain>");
    }

    /** Applies the same change to the stored lineage and to an in-memory twin, so the test knows what to expect. */
    private static <T> Function<CheckpointTree, T> twice(CheckpointTree twin, Function<CheckpointTree, T> change) {
        return stored -> {
            change.apply(twin);
            return change.apply(stored);
        };
    }

    private Uni<CheckpointTree> reload(String domain) {
        return store.read(domain, tree -> tree);
    }

    @Test
    @RunOnVertxContext
    void createRedefineAndDeleteRoundTripThroughTheDatabase(UniAsserter asserter) {
        String domain = uniqueDomain("roundtrip");
        CheckpointTree expected = CheckpointTree.empty(domain);

        asserter.execute(() -> store.update(domain, twice(expected, t -> t.create(checkpoint("c1", null, 100), "cmd-1"))));
        asserter.execute(() -> store.update(domain, twice(expected, t -> t.create(checkpoint("c2", null, 200), "cmd-2"))));
        asserter.execute(() -> store.update(domain, twice(expected, t -> t.create(checkpoint("c3", null, 300), "cmd-3"))));
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree).isEqualTo(expected);
            assertThat(tree.currentName()).contains("c3");
            assertThat(tree.lookup("c3").parent()).isEqualTo("c2");
        });

        // A redefinition moves c2 (and its child c3) to be a root, in place.
        asserter.execute(() -> store.update(domain, twice(expected, t -> t.redefine(checkpoint("c2", null, 250), "cmd-4"))));
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree).isEqualTo(expected);
            assertThat(tree.lookup("c2").parent()).isNull();
            assertThat(tree.lookup("c2").createdBy()).isEqualTo("cmd-4");
            assertThat(tree.lookup("c3").parent()).isEqualTo("c2");
        });

        // Plain delete of c2 makes c3 a root; the current c3 stays current.
        asserter.assertThat(() -> store.update(domain, twice(expected, t -> t.delete("c2", NO_FLAGS))), plan -> {
            assertThat(plan.removed()).containsExactly("c2");
            assertThat(plan.currentAfter()).isEqualTo("c3");
        });
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree).isEqualTo(expected);
            assertThat(tree.lookup("c3").parent()).isNull();
            assertThat(tree.size()).isEqualTo(2);
        });

        // CHILDREN of c1 after c4 was created under the current c3: c1 goes alone, c3 and c4 stay.
        asserter.execute(() -> store.update(domain, twice(expected, t -> t.create(checkpoint("c4", null, 400), "cmd-5"))));
        asserter.assertThat(() -> store.update(domain,
                twice(expected, t -> t.delete("c3", EnumSet.of(CheckpointDeleteFlag.CHILDREN)))), plan -> {
                    assertThat(plan.removed()).containsExactly("c3", "c4");
                    assertThat(plan.currentAfter()).isNull();
                });
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree).isEqualTo(expected);
            assertThat(tree.size()).isEqualTo(1);
            assertThat(tree.currentName()).isEmpty();
        });
    }

    @Test
    @RunOnVertxContext
    void aReloadedLineageEqualsWhatWasSavedIncludingHealthAndEveryField(UniAsserter asserter) {
        String domain = uniqueDomain("fields");
        CheckpointTree expected = CheckpointTree.empty(domain);
        BrokenBitmap missing = new BrokenBitmap("vda", "b", BitmapProblem.MISSING, "bitmap 'b' absent from vda");
        BrokenBitmap inconsistent = new BrokenBitmap("vdc", "b-c", BitmapProblem.INCONSISTENT, "in-use after crash");

        asserter.execute(() -> store.update(domain, twice(expected, tree -> {
            tree.redefine(checkpoint("a", null, 100), "r-1");
            tree.redefine(new CheckpointDefinition("b", "multi disk, 'quoted' & <escaped>", "a", 200L, List.of(
                    new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "b", null),
                    new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, null),
                    new CheckpointDisk("vdc", CheckpointDiskMode.BITMAP, "b-c", null)), null), "r-2");
            tree.redefine(new CheckpointDefinition("z", null, null, 50L, null, null), "r-3");
            tree.markBroken("b", List.of(missing, inconsistent));
            return tree;
        })));
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree).isEqualTo(expected);
            assertThat(tree.checkpoints()).isEqualTo(expected.checkpoints());
            assertThat(tree.lookup("b").health().brokenDisks()).containsExactly(missing, inconsistent);
            assertThat(tree.lookup("z").definition().disks()).isNull();
            assertThat(tree.lookup("a").definition().domainXml()).contains("<uuid>6b2f0c4e");
        });

        asserter.execute(() -> store.update(domain, twice(expected, tree -> tree.markActive("b"))));
        asserter.assertThat(() -> reload(domain), tree -> assertThat(tree).isEqualTo(expected));
    }

    @Test
    @RunOnVertxContext
    void aDeletionPlanReadsWithoutChangingAndTheCommitRemovesExactlyThePlan(UniAsserter asserter) {
        String domain = uniqueDomain("plan");
        asserter.execute(() -> store.update(domain, tree -> {
            tree.create(checkpoint("a", null, 100), "c");
            tree.create(checkpoint("b", null, 200), "c");
            return tree.create(checkpoint("c", null, 300), "c");
        }));

        asserter.assertThat(() -> store.read(domain, tree -> tree.planDeletion("a", EnumSet.of(CheckpointDeleteFlag.CHILDREN_ONLY))),
                plan -> {
                    assertThat(plan.removed()).containsExactly("b", "c");
                    assertThat(plan.bitmapsByDisk()).containsEntry("vda", List.of("b", "c"));
                });
        asserter.assertThat(() -> reload(domain), tree -> assertThat(tree.size()).isEqualTo(3));

        asserter.assertThat(() -> store.update(domain, tree -> tree.delete("a", EnumSet.of(CheckpointDeleteFlag.CHILDREN_ONLY))),
                plan -> assertThat(plan.removed()).containsExactly("b", "c"));
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree.size()).isEqualTo(1);
            assertThat(tree.currentName()).contains("a");
        });
    }

    @Test
    @RunOnVertxContext
    void aFailedChangeLeavesTheStoredLineageUntouched(UniAsserter asserter) {
        String domain = uniqueDomain("rollback");
        asserter.execute(() -> store.update(domain, tree -> tree.create(checkpoint("a", null, 100), "c")));

        asserter.assertFailedWith(() -> store.update(domain, tree -> {
            tree.create(checkpoint("b", null, 200), "c");
            return tree.create(checkpoint("a", null, 300), "c");
        }), failure -> {
            assertThat(failure).isInstanceOf(CairnException.class);
            assertThat(((CairnException) failure).toErrorInfo().number()).isEqualTo(9);
            assertThat(failure).hasMessage("domain moment a already exists");
        });
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree.size()).isEqualTo(1);
            assertThat(tree.currentName()).contains("a");
        });
    }

    @Test
    @RunOnVertxContext
    void aDuplicateNameCaughtByTheDatabaseIsLibvirtsError(UniAsserter asserter) {
        String domain = uniqueDomain("unique");
        asserter.execute(() -> store.update(domain, tree -> tree.create(checkpoint("dup", null, 100), "c")));

        asserter.assertFailedWith(() -> Panache.withTransaction(() -> {
            CheckpointEntity row = new CheckpointEntity();
            row.domain = domain;
            row.name = "dup";
            row.creationTime = 1;
            row.health = "ACTIVE";
            row.createdAt = OffsetDateTime.now();
            row.updatedAt = row.createdAt;
            return checkpointRepository.persistAndFlush(row);
        }).onFailure().transform(failure -> PersistenceErrors.mapped(failure, List.of("dup"))), failure -> {
            assertThat(failure).isInstanceOf(CairnException.class);
            CairnException error = (CairnException) failure;
            assertThat(error).hasRootCauseMessage(
                    "ERROR: duplicate key value violates unique constraint \"checkpoint_domain_name_key\" (23505)");
            assertThat(error.toErrorInfo().code()).isEqualTo("VIR_ERR_OPERATION_FAILED");
            assertThat(error.toErrorInfo().number()).isEqualTo(9);
            assertThat(error).hasMessage("domain moment dup already exists");
        });
    }

    @Test
    @RunOnVertxContext
    void anUnknownDomainHasAnEmptyLineage(UniAsserter asserter) {
        String domain = uniqueDomain("unknown");
        asserter.assertThat(() -> reload(domain), tree -> {
            assertThat(tree.size()).isZero();
            assertThat(tree.currentName()).isEmpty();
        });
    }

    /**
     * Runs work on a fresh, safe duplicated Vert.x context: its own Hibernate Reactive session, as a separate request
     * or Kafka record has.
     */
    private <T> Uni<T> onOwnContext(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            } catch (RuntimeException failure) {
                emitter.fail(failure);
            }
        }));
    }

    @Test
    @RunOnVertxContext
    void writersOfDifferentDomainsAndOfTheSameDomainRunConcurrentlyWithoutLosingUpdates(UniAsserter asserter) {
        String first = uniqueDomain("concurrent-a");
        String second = uniqueDomain("concurrent-b");
        int perDomain = 8;

        asserter.execute(() -> {
            List<Uni<Object>> writers = new ArrayList<>();
            for (int i = 0; i < perDomain; i++) {
                String name = "c" + i;
                long time = 100 + i;
                writers.add(onOwnContext(() -> store.update(first, tree -> (Object) tree.create(checkpoint(name, null, time), name))));
                writers.add(onOwnContext(() -> store.update(second, tree -> (Object) tree.create(checkpoint(name, null, time), name))));
            }
            return Uni.join().all(writers).andFailFast();
        });
        for (String domain : List.of(first, second)) {
            asserter.assertThat(() -> onOwnContext(() -> reload(domain)), tree -> {
                // Serialized writers each saw the previous one's checkpoint as current: one chain, nothing lost.
                assertThat(tree.size()).isEqualTo(perDomain);
                assertThat(tree.listAll(CheckpointListFlag.ROOTS)).hasSize(1);
                assertThat(tree.listAll(CheckpointListFlag.LEAVES)).hasSize(1);
                assertThat(tree.currentName()).contains(
                        tree.listAll(CheckpointListFlag.LEAVES).get(0).name());
            });
        }
    }

    @Test
    @RunOnVertxContext
    void deletionPlansComeBackWithTheStoredBitmaps(UniAsserter asserter) {
        String domain = uniqueDomain("bitmaps");
        asserter.execute(() -> store.update(domain, tree -> tree.create(checkpoint("only", null, 100), "c")));
        asserter.assertThat(() -> store.update(domain, tree -> tree.delete("only", NO_FLAGS)), (DeletionPlan plan) -> {
            assertThat(plan.bitmapsByDisk()).containsOnlyKeys("vda");
            assertThat(plan.bitmapsByDisk().get("vda")).containsExactly("only");
        });
        asserter.assertThat(() -> reload(domain), tree -> assertThat(tree.size()).isZero());
    }
}
