package io.cairn.events.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.BackupMode;
import org.junit.jupiter.api.Test;

/** libvirt's verdict for a job whose disks all ended, stated once for the agent and the service. */
class BackupJobStateTest {

    @Test
    void aFailedDiskFailsTheJobWhateverElseHappened() {
        assertThat(BackupJobState.ofEndedDisks(BackupMode.PUSH, true, true)).isEqualTo(BackupJobState.FAILED);
        assertThat(BackupJobState.ofEndedDisks(BackupMode.PULL, true, false)).isEqualTo(BackupJobState.FAILED);
    }

    @Test
    void cancellingCancelsAPushButIsHowAPullEnds() {
        assertThat(BackupJobState.ofEndedDisks(BackupMode.PUSH, false, true)).isEqualTo(BackupJobState.CANCELLED);
        assertThat(BackupJobState.ofEndedDisks(BackupMode.PULL, false, true)).isEqualTo(BackupJobState.COMPLETED);
        assertThat(BackupJobState.ofEndedDisks(BackupMode.PUSH, false, false)).isEqualTo(BackupJobState.COMPLETED);
    }
}
