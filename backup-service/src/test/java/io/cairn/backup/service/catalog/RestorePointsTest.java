package io.cairn.backup.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.job.JobState;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restore-point chains worked out from a catalog alone: links, gaps and their reasons, reused checkpoint names. */
class RestorePointsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");

    @Test
    void eachIncrementalStacksOnTheArtifactHoldingItsIncrementalFromDownToAFull() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", null, 1), art("j1", "vdb", "c1", null, 1),
                art("j2", "vda", "c2", "c1", 2), art("j2", "vdb", "c2", "c1", 2),
                art("j3", "vda", "c3", "c2", 3), art("j3", "vdb", "c3", "c2", 3));

        List<RestorePoint> points = RestorePoints.of(catalog, List.of());

        assertThat(points).extracting(RestorePoint::checkpoint).containsExactly("c3", "c2", "c1");
        assertThat(points).allMatch(RestorePoint::complete);
        RestorePoint c3 = points.get(0);
        assertThat(c3.jobId()).isEqualTo("j3");
        assertThat(c3.time()).isEqualTo(T0.plusSeconds(3));
        assertThat(c3.disks()).extracting(DiskRestore::disk).containsExactly("vda", "vdb");
        assertThat(c3.disks().get(1).chain()).extracting(Artifact::id).containsExactly("j1/vdb", "j2/vdb", "j3/vdb");
        assertThat(points.get(2).disks().get(0).chain()).extracting(Artifact::id).containsExactly("j1/vda");
        assertThat(c3.problems()).isEmpty();
    }

    @Test
    void anIncrementalFromAnOlderCheckpointSkipsTheLinksBetween() {
        List<RestorePoint> points = RestorePoints.of(List.of(art("j1", "vda", "c1", null, 1),
                art("j2", "vda", "c2", "c1", 2), art("j3", "vda", "c3", "c1", 3)), List.of());

        assertThat(points.get(0).disks().get(0).chain()).extracting(Artifact::jobId).containsExactly("j1", "j3");
    }

    @Test
    void aFailedJobsCheckpointIsAMissingLinkNamedWithTheJobAndItsError() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", null, 1), art("j3", "vda", "c3", "c2", 3));
        List<CheckpointAttempt> attempts = List.of(
                new CheckpointAttempt("c2", "j2", BackupMode.PUSH, JobState.FAILED, "No space left on device",
                        T0.plusSeconds(2)));

        List<RestorePoint> points = RestorePoints.of(catalog, attempts);

        RestorePoint c3 = points.get(0);
        assertThat(c3.complete()).isFalse();
        DiskRestore vda = c3.disks().get(0);
        assertThat(vda.chain()).extracting(Artifact::id).containsExactly("j3/vda");
        assertThat(vda.missing()).isEqualTo("disk 'vda': no artifact holds checkpoint 'c2', which artifact j3/vda is "
                + "incremental from: backup job j2 that created it failed (No space left on device)");
        assertThat(c3.problems()).containsExactly(vda.missing());
        assertThat(points.get(1).complete()).as("the full before the gap still restores").isTrue();
    }

    @Test
    void aGapOnOneDiskLeavesTheOtherDiskComplete() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", null, 1), art("j2", "vda", "c2", "c1", 2),
                art("j2", "vdb", "c2", "c0", 2));

        RestorePoint c2 = RestorePoints.of(catalog, List.of()).get(0);

        assertThat(c2.complete()).isFalse();
        assertThat(c2.disks().get(0).complete()).isTrue();
        assertThat(c2.disks().get(1).missing()).isEqualTo(
                "disk 'vdb': no artifact holds checkpoint 'c0', which artifact j2/vdb is incremental from");
    }

    @Test
    void aPullsCheckpointIsAMissingLinkWrittenByTheClient() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", null, 1), art("j3", "vda", "c3", "c2", 3));
        List<CheckpointAttempt> attempts = List.of(
                new CheckpointAttempt("c2", "j2", BackupMode.PULL, JobState.COMPLETED, null, T0.plusSeconds(2)));

        assertThat(RestorePoints.of(catalog, attempts).get(0).disks().get(0).missing())
                .endsWith("backup job j2 that created it was a pull backup, whose data the client wrote, not Cairn; "
                        + "register the client's outputs with backup.register (POST /api/v1/backup/jobs/j2/artifacts) "
                        + "to complete the chain");
    }

    @Test
    void aReusedCheckpointNameLinksToTheLatestArtifactBeforeTheIncremental() {
        // c1 was deleted and created again by j3; j4 is incremental from the new c1, j2 from the old one.
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", null, 1), art("j2", "vda", "c2", "c1", 2),
                art("j3", "vda", "c1", null, 3), art("j4", "vda", "c4", "c1", 4));

        List<RestorePoint> points = RestorePoints.of(catalog, List.of());

        assertThat(points.get(0).disks().get(0).chain()).extracting(Artifact::jobId).containsExactly("j3", "j4");
        assertThat(points.get(2).disks().get(0).chain()).extracting(Artifact::jobId).containsExactly("j1", "j2");
    }

    @Test
    void anIncrementalNeverStacksOnAnArtifactWrittenAfterIt() {
        // A later job captured c1 again, but j2's data is the changes since the c1 before it, which is gone.
        List<RestorePoint> points = RestorePoints.of(List.of(art("j2", "vda", "c2", "c1", 2),
                art("j3", "vda", "c1", null, 3)), List.of());

        assertThat(points.get(1).complete()).isFalse();
        assertThat(points.get(1).disks().get(0).missing()).contains("checkpoint 'c1'");
    }

    @Test
    void aBackupThatCreatedNoCheckpointIsStillARestorePoint() {
        RestorePoint point = RestorePoints.of(List.of(art("j1", "vda", null, null, 1)), List.of()).get(0);

        assertThat(point.checkpoint()).isNull();
        assertThat(point.jobId()).isEqualTo("j1");
        assertThat(point.complete()).isTrue();
    }

    @Test
    void noArtifactsNoRestorePoints() {
        assertThat(RestorePoints.of(List.of(), List.of())).isEmpty();
    }

    private static Artifact art(String job, String disk, String checkpoint, String from, int second) {
        return new Artifact(job, "vm1", "host-a", disk, checkpoint, from, BackupMode.PUSH,
                "/srv/b/" + job + "." + disk + ".qcow2", "qcow2", 65536L, "ab".repeat(32), T0.plusSeconds(second));
    }
}
