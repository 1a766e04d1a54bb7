package io.cairn.backup.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which artifact each incremental disk of a push is told to stack on, and when none is named. */
class ChainBasesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");

    @Test
    void eachIncrementalDiskGetsTheLatestArtifactOfItsBaseCheckpointOnTheSameHost() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", "host-a", 1), art("j1b", "vda", "c1", "host-a", 5),
                art("j1", "vdb", "c1", "host-a", 1), art("j9", "vdc", "c1", "host-b", 1),
                art("j2", "vda", "c2", "host-a", 2));
        BackupDefinition push = new BackupDefinition(BackupMode.PUSH, "c1", null, List.of(
                disk("vda", DiskBackupMode.INCREMENTAL, "c1"), disk("vdb", DiskBackupMode.INCREMENTAL, null),
                disk("vdc", DiskBackupMode.INCREMENTAL, "c1"), disk("vdd", DiskBackupMode.FULL, null),
                disk("vde", DiskBackupMode.INCREMENTAL, "c7")));

        Map<String, String> bases = ChainBases.of("vm1", "host-a", push, catalog);

        assertThat(bases).containsOnly(Map.entry("vda", "/s/vm1/j1b-vda.qcow2"), Map.entry("vdb", "/s/vm1/j1-vdb.qcow2"));
    }

    @Test
    void aPullOrAFullNamesNone() {
        List<Artifact> catalog = List.of(art("j1", "vda", "c1", "host-a", 1));
        assertThat(ChainBases.of("vm1", "host-a", new BackupDefinition(BackupMode.PULL, "c1", null,
                List.of(disk("vda", DiskBackupMode.INCREMENTAL, "c1"))), catalog)).isEmpty();
        assertThat(ChainBases.of("vm1", "host-a", new BackupDefinition(BackupMode.PUSH, null, null,
                List.of(disk("vda", DiskBackupMode.FULL, null))), catalog)).isEmpty();
    }

    private static BackupDisk disk(String name, DiskBackupMode mode, String incremental) {
        return new BackupDisk(name, true, mode, incremental, null, null,
                new BackupStore("file", "/s/vm1/new-" + name + ".qcow2", "qcow2", null, null), null);
    }

    private static Artifact art(String job, String disk, String checkpoint, String host, int second) {
        return new Artifact(job, "vm1", host, disk, checkpoint, null, BackupMode.PUSH,
                "/s/vm1/" + job + "-" + disk + ".qcow2", "qcow2", 1L, "00", T0.plusSeconds(second));
    }
}
