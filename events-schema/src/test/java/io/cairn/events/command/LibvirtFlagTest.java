package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flags carry libvirt's exact bit values and C names, so services hand them to libvirt unchanged. */
class LibvirtFlagTest {

    @Test
    void checkpointCreateFlagsHaveLibvirtsValues() {
        assertThat(CheckpointCreateFlag.REDEFINE.value()).isEqualTo(1);
        assertThat(CheckpointCreateFlag.QUIESCE.value()).isEqualTo(2);
        assertThat(CheckpointCreateFlag.REDEFINE_VALIDATE.value()).isEqualTo(4);
        assertThat(CheckpointCreateFlag.REDEFINE_VALIDATE.libvirtName())
                .isEqualTo("VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE");
    }

    @Test
    void checkpointDeleteFlagsHaveLibvirtsValues() {
        assertThat(CheckpointDeleteFlag.CHILDREN.value()).isEqualTo(1);
        assertThat(CheckpointDeleteFlag.METADATA_ONLY.value()).isEqualTo(2);
        assertThat(CheckpointDeleteFlag.CHILDREN_ONLY.value()).isEqualTo(4);
        assertThat(CheckpointDeleteFlag.METADATA_ONLY.libvirtName()).isEqualTo("VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY");
    }

    @Test
    void backupBeginFlagHasLibvirtsValue() {
        assertThat(BackupBeginFlag.REUSE_EXTERNAL.value()).isEqualTo(1);
        assertThat(BackupBeginFlag.REUSE_EXTERNAL.libvirtName()).isEqualTo("VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL");
    }

    @Test
    void maskOrsTheBits() {
        assertThat(LibvirtFlag.mask(EnumSet.of(CheckpointCreateFlag.REDEFINE, CheckpointCreateFlag.REDEFINE_VALIDATE)))
                .isEqualTo(5);
        assertThat(LibvirtFlag.mask(Set.of())).isZero();
    }

    @Test
    void commandsKeepFlagsInDeclarationOrderSoEqualCommandsSerializeAlike() {
        CheckpointDeleteCommand command = new CheckpointDeleteCommand("c-1", "vm-1", "cp",
                new LinkedHashSet<>(List.of(CheckpointDeleteFlag.CHILDREN_ONLY, CheckpointDeleteFlag.METADATA_ONLY)));

        assertThat(command.flags()).containsExactly(CheckpointDeleteFlag.METADATA_ONLY, CheckpointDeleteFlag.CHILDREN_ONLY);
    }
}
