package io.cairn.events.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.DiskSourceType;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SynthesizedDomainXmlTest {
    private static final DomainDisks DISKS = new DomainDisks(java.util.List.of(
            new DomainDiskInfo("vda", "/var/lib/cairn/web-01/vda.qcow2", DiskSourceType.FILE, "qcow2", false, false),
            new DomainDiskInfo("vdb", "/dev/vg0/web&data", DiskSourceType.BLOCK, "raw", true, false)));

    @Test
    void nameUuidAndDisksReadBackAsTheSameDisks() {
        String xml = SynthesizedDomainXml.of("web-01", "6b29fc40-ca47-1067-b31d-00dd010662da", DISKS);

        assertThat(xml).isEqualTo("""
                <domain type='kvm'>
                  <name>web-01</name>
                  <uuid>6b29fc40-ca47-1067-b31d-00dd010662da</uuid>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='/var/lib/cairn/web-01/vda.qcow2'/>
                      <target dev='vda'/>
                    </disk>
                    <disk type='block' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source dev='/dev/vg0/web&amp;data'/>
                      <target dev='vdb'/>
                      <readonly/>
                    </disk>
                  </devices>
                </domain>""");
        assertThat(new DomainXmlDisks().read(xml)).isEqualTo(DISKS);
    }

    @Test
    void embeddedInACheckpointItIsDumpedWithAndWithoutSecureAndLeftOutWithNoDomain() {
        String domain = SynthesizedDomainXml.of("web-01", null, DISKS);
        CheckpointDefinition checkpoint = new CheckpointDefinition("c1", null, null, 1700000000L, null, domain);
        CheckpointXml xml = new CheckpointXml();

        String plain = xml.format(checkpoint, EnumSet.noneOf(CheckpointFormatFlag.class));
        assertThat(plain).contains("<domain type='kvm'>").contains("<source file='/var/lib/cairn/web-01/vda.qcow2'/>")
                .doesNotContain("<uuid>");
        assertThat(xml.format(checkpoint, EnumSet.of(CheckpointFormatFlag.SECURE))).as("no secrets to add")
                .isEqualTo(plain);
        assertThat(xml.format(checkpoint, EnumSet.of(CheckpointFormatFlag.NO_DOMAIN))).doesNotContain("<domain type=");
    }
}
