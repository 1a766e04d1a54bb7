package io.cairn.backup.service.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the next backup of a disk must be full: the newest chain's length and bytes against the policy. */
class FullBackupDueTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void aDiskWithNoArtifactNeedsAFull() {
        FullBackupDue due = FullBackupDue.of(RetentionPolicy.keepLast(1), List.of(art("j0", "vdb", "c0", null, 0, 1L)),
                "vda");
        assertThat(due.due()).isTrue();
        assertThat(due.reason()).isEqualTo(FullBackupDue.Reason.NO_ARTIFACT);
        assertThat(due.detail()).isEqualTo("no backup of disk 'vda' in the catalog");
    }

    @Test
    void theIncrementalLimitCountsTheNewestChainsIncrementals() {
        RetentionPolicy policy = RetentionPolicy.keepLast(9).withFullEvery(3);
        List<Artifact> catalog = new ArrayList<>(chain(3));
        FullBackupDue notYet = FullBackupDue.of(policy, catalog, "vda");
        assertThat(notYet.due()).isFalse();
        assertThat(notYet.reason()).isEqualTo(FullBackupDue.Reason.NOT_DUE);
        assertThat(notYet.detail()).isEqualTo("disk 'vda': the chain of j2/vda holds 2 incrementals, 300 bytes");

        catalog.add(art("j3", "vda", "c3", "c2", 3, 100L));
        FullBackupDue due = FullBackupDue.of(policy, catalog, "vda");
        assertThat(due.due()).isTrue();
        assertThat(due.reason()).isEqualTo(FullBackupDue.Reason.INCREMENTAL_LIMIT);
        assertThat(due.detail()).isEqualTo("disk 'vda': the chain of j3/vda holds 3 incrementals, fullEvery is 3");
        assertThat(FullBackupDue.of(RetentionPolicy.keepLast(9), catalog, "vda").due()).as("0: off").isFalse();

        catalog.add(art("j4", "vda", "c4", null, 4, 100L));
        assertThat(FullBackupDue.of(policy, catalog, "vda").due()).as("a full starts a new chain").isFalse();
    }

    @Test
    void theSizeLimitIsOnTheChainsBytesStrictlyAbove() {
        List<Artifact> catalog = chain(3);
        assertThat(FullBackupDue.of(RetentionPolicy.keepLast(1).withMaxChainBytes(300), catalog, "vda").due())
                .isFalse();
        FullBackupDue due = FullBackupDue.of(RetentionPolicy.keepLast(1).withMaxChainBytes(299), catalog, "vda");
        assertThat(due.reason()).isEqualTo(FullBackupDue.Reason.CHAIN_SIZE);
        assertThat(due.detail()).isEqualTo("disk 'vda': the chain of j2/vda takes 300 bytes, maxChainBytes is 299");
    }

    @Test
    void anUnknownSizeIsNotCountedButSaid() {
        List<Artifact> catalog = new ArrayList<>(chain(2));
        catalog.add(art("j2", "vda", "c2", "c1", 2, null));
        FullBackupDue due = FullBackupDue.of(RetentionPolicy.keepLast(1).withMaxChainBytes(150), catalog, "vda");
        assertThat(due.detail()).isEqualTo(
                "disk 'vda': the chain of j2/vda takes 200 bytes (1 size(s) unknown, not counted), maxChainBytes is 150");
    }

    @Test
    void aBrokenNewestChainNeedsAFull() {
        List<Artifact> catalog = List.of(art("j0", "vda", "c0", null, 0, 1L), art("j2", "vda", "c2", "c1", 2, 1L));
        FullBackupDue due = FullBackupDue.of(RetentionPolicy.keepLast(1), catalog, "vda");
        assertThat(due.reason()).isEqualTo(FullBackupDue.Reason.INCOMPLETE_CHAIN);
        assertThat(due.detail()).contains("no artifact holds checkpoint 'c1'");
    }

    @Test
    void aDiskTheNewestBackupLeftNoArtifactForHasNoBaseToStackOn() {
        List<Artifact> catalog = new ArrayList<>(chain(2));
        catalog.add(art("j1", "vdb", "c1", null, 1, 100L));
        catalog.add(art("j2", "vda", "c2", "c1", 2, 100L)); // j2 failed on vdb
        FullBackupDue due = FullBackupDue.of(RetentionPolicy.keepLast(1), catalog, "vdb");
        assertThat(due.reason()).isEqualTo(FullBackupDue.Reason.NO_BASE);
        assertThat(due.detail()).isEqualTo(
                "disk 'vdb': no artifact holds checkpoint 'c2', which the next incremental would be from");
        assertThat(FullBackupDue.of(RetentionPolicy.keepLast(1), catalog, "vdb", "c1").due())
                .as("an incremental from c1 stacks on j1/vdb").isFalse();
    }

    @Test
    void anIncrementalFromAnOlderCheckpointIsJudgedOnThatCheckpointsChain() {
        RetentionPolicy policy = RetentionPolicy.keepLast(9).withFullEvery(2);
        List<Artifact> catalog = chain(4);
        assertThat(FullBackupDue.of(policy, catalog, "vda").reason()).isEqualTo(FullBackupDue.Reason.INCREMENTAL_LIMIT);
        FullBackupDue fromC1 = FullBackupDue.of(policy, catalog, "vda", "c1");
        assertThat(fromC1.due()).isFalse();
        assertThat(fromC1.detail()).isEqualTo("disk 'vda': the chain of j1/vda holds 1 incrementals, 200 bytes");
    }

    private static List<Artifact> chain(int links) {
        List<Artifact> chain = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            chain.add(art("j" + i, "vda", "c" + i, i == 0 ? null : "c" + (i - 1), i, 100L));
        }
        return chain;
    }

    private static Artifact art(String job, String disk, String checkpoint, String from, int second, Long size) {
        return new Artifact(job, "vm1", "h", disk, checkpoint, from, BackupMode.PUSH, "/p/" + job, "qcow2", size,
                null, T0.plusSeconds(second));
    }
}
