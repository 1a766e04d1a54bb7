package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.DiskJobState;
import org.junit.jupiter.api.Test;

/** The per-disk state machine accepts QEMU's possible orders and refuses to reopen a finished disk. */
class DiskPhaseTest {

    @Test
    void transitions() {
        assertThat(DiskPhase.PREPARING.moveTo(DiskPhase.RUNNING).moveTo(DiskPhase.COMPLETE)).isEqualTo(DiskPhase.COMPLETE);
        assertThat(DiskPhase.PREPARING.canMoveTo(DiskPhase.COMPLETE)).as("tiny job ends before the reply").isTrue();
        assertThat(DiskPhase.CANCELLING.canMoveTo(DiskPhase.COMPLETE)).as("cancel lost the race").isTrue();
        assertThat(DiskPhase.CANCELLING.canMoveTo(DiskPhase.RUNNING)).isFalse();
        for (DiskPhase end : new DiskPhase[] {DiskPhase.COMPLETE, DiskPhase.FAILED, DiskPhase.CANCELLED}) {
            assertThat(end.isTerminal()).isTrue();
            for (DiskPhase any : DiskPhase.values()) {
                assertThat(end.canMoveTo(any)).isFalse();
            }
        }
        assertThatThrownBy(() -> DiskPhase.FAILED.moveTo(DiskPhase.RUNNING)).isInstanceOf(IllegalStateException.class);
        assertThat(DiskPhase.PREPARING.toReport()).isEqualTo(DiskJobState.RUNNING);
        assertThat(DiskPhase.CANCELLING.toReport()).isEqualTo(DiskJobState.CANCELLING);
    }

    @Test
    void namesCarryTheJobForRecovery() {
        assertThat(BackupNames.parseJob(BackupNames.qemuJobId("vda", "0f1e-job.7")))
                .contains(new BackupNames.ParsedJob("vda", "0f1e-job.7"));
        String node = BackupNames.fileNode("some-job", "abcdefghijklm", BackupNames.StoreKind.CREATED_SCRATCH);
        assertThat(node.length()).as("QEMU's node-name limit").isLessThanOrEqualTo(31);
        assertThat(BackupNames.parseNode(node)).contains(new BackupNames.ParsedNode(BackupNames.jobHash("some-job"),
                "abcdefghijklm", BackupNames.StoreKind.CREATED_SCRATCH, false));
        assertThat(BackupNames.isUsableDiskName("abcdefghijklmn")).isFalse();
        assertThat(BackupNames.parseNode("libvirt-1-format")).isEmpty();
        assertThat(BackupNames.isUsableJobId("a b")).isFalse();
    }
}
