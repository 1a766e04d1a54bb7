package io.cairn.backup.service.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restore plan: chains and targets chosen, and everything that cannot work refused before anything runs. */
class RestorePlannerTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    private static Artifact artifact(String job, String host, String disk, String checkpoint, String from,
            String path) {
        return new Artifact(job, "vm", host, disk, checkpoint, from, BackupMode.PUSH, path, "qcow2", 100L,
                "ab".repeat(32), T);
    }

    private static final Artifact FULL_A = artifact("j1", "h1", "vda", "c1", null, "/b/vm/vda.c1");
    private static final Artifact INC_A = artifact("j2", "h1", "vda", "c2", "c1", "/b/vm/vda.c2");
    private static final Artifact FULL_B = artifact("j1", "h1", "vdb", "c1", null, "/b/vm/vdb.c1");
    private static final RestorePoint POINT = new RestorePoint("c2", "j2", T, List.of(
            new DiskRestore("vda", List.of(FULL_A, INC_A), null), new DiskRestore("vdb", List.of(FULL_B), null)));

    private static RestoreBeginCommand command(RestoreMode mode, RestoreTarget... disks) {
        return new RestoreBeginCommand("cmd", "vm", "c2", mode, List.of(disks));
    }

    @Test
    void everyDiskAtADefaultPathBesideItsNewestArtifact() {
        RestorePlan plan = RestorePlanner.plan(command(null), POINT, "0123456789abcdef", Map.of());

        assertThat(plan.hostId()).isEqualTo("h1");
        assertThat(plan.disks()).extracting(d -> d.target()).containsExactly("/b/vm/vda.c2.restore-01234567.qcow2",
                "/b/vm/vdb.c2.restore-01234567.qcow2");
        assertThat(plan.disks().get(0).chain()).extracting(link -> link.path()).containsExactly("/b/vm/vda.c1",
                "/b/vm/vda.c2");
    }

    @Test
    void namedDisksWithTheirPathsAndFormatsAndThinIsAlwaysQcow2() {
        RestorePlan raw = RestorePlanner.plan(command(RestoreMode.COPY, new RestoreTarget("vdb", "/b/vm/x.raw", "raw")),
                POINT, "r", Map.of());
        RestorePlan thin = RestorePlanner.plan(command(RestoreMode.THIN, new RestoreTarget("vda", null, null)), POINT,
                "r", Map.of());

        assertThat(raw.disks()).singleElement().satisfies(d -> assertThat(d.format()).isEqualTo("raw"));
        assertThat(thin.disks()).singleElement().satisfies(d -> assertThat(d.format()).isEqualTo("qcow2"));
    }

    @Test
    void anExportServesTheChainsWritesNothingAndIsRefusedAsARestoreIs() {
        RestorePlan export = RestorePlanner.plan(command(RestoreMode.EXPORT), POINT, "r", Map.of());

        assertThat(export.hostId()).isEqualTo("h1");
        assertThat(export.disks()).extracting(d -> d.disk()).containsExactly("vda", "vdb");
        assertThat(export.disks()).allSatisfy(d -> {
            assertThat(d.target()).isNull();
            assertThat(d.format()).isNull();
        });
        assertThat(export.disks().get(0).chain()).extracting(link -> link.path()).containsExactly("/b/vm/vda.c1",
                "/b/vm/vda.c2");
        RestorePoint gap = new RestorePoint("c2", "j2", T, List.of(new DiskRestore("vda", List.of(INC_A),
                "disk 'vda': no artifact holds checkpoint 'c1'")));
        assertRefused(() -> RestorePlanner.plan(command(RestoreMode.EXPORT), gap, "r", Map.of()),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "no artifact holds checkpoint 'c1'");
        assertRefused(() -> RestorePlanner.plan(command(RestoreMode.EXPORT, new RestoreTarget("vdz", null, null)),
                POINT, "r", Map.of()), VirErrorCode.VIR_ERR_INVALID_ARG, "has no disk 'vdz'");
    }

    @Test
    void refusesWhatCannotWork() {
        assertRefused(() -> RestorePlanner.plan(command(null, new RestoreTarget("vdz", null, null)), POINT, "r",
                Map.of()), VirErrorCode.VIR_ERR_INVALID_ARG, "has no disk 'vdz'");
        assertRefused(() -> RestorePlanner.plan(command(null, new RestoreTarget("vda", "/live/vda.qcow2", null)),
                POINT, "r", Map.of("/live/vda.qcow2", "disk 'vda' of domain 'vm' (running)")),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "live disk");
        assertRefused(() -> RestorePlanner.plan(command(null, new RestoreTarget("vda", "/b/vm/vda.c1", null)), POINT,
                "r", Map.of()), VirErrorCode.VIR_ERR_OPERATION_INVALID, "is a backup artifact");
        assertRefused(() -> RestorePlanner.plan(command(null, new RestoreTarget("vda", "/x", null),
                new RestoreTarget("vdb", "/x", null)), POINT, "r", Map.of()), VirErrorCode.VIR_ERR_INVALID_ARG,
                "two disks");
        RestorePoint gap = new RestorePoint("c2", "j2", T, List.of(new DiskRestore("vda", List.of(INC_A),
                "disk 'vda': no artifact holds checkpoint 'c1'")));
        assertRefused(() -> RestorePlanner.plan(command(null), gap, "r", Map.of()),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "no artifact holds checkpoint 'c1'");
        RestorePoint twoHosts = new RestorePoint("c2", "j2", T, List.of(new DiskRestore("vda", List.of(FULL_A), null),
                new DiskRestore("vdb", List.of(artifact("j1", "h2", "vdb", "c1", null, "/b/vm/vdb")), null)));
        assertRefused(() -> RestorePlanner.plan(command(null), twoHosts, "r", Map.of()),
                VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "several hosts");
        Artifact unread = new Artifact("j1", "vm", "h1", "vda", "c1", null, BackupMode.PUSH, "/b/vm/u", "qcow2", null,
                null, T);
        RestorePoint noChecksum = new RestorePoint("c1", "j1", T, List.of(new DiskRestore("vda", List.of(unread),
                null)));
        assertRefused(() -> RestorePlanner.plan(command(null), noChecksum, "r", Map.of()),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "no checksum");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, VirErrorCode code,
            String message) {
        assertThatThrownBy(call).isInstanceOf(CairnException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(code));
    }
}
