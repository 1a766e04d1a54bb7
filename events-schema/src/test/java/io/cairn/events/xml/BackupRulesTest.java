package io.cairn.events.xml;

import static io.cairn.events.xml.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libvirt's backup defaults, alignment errors and schema branches, one rule per test. */
class BackupRulesTest {

    private static final DomainDisks DOMAIN = DomainDisks.of(
            DomainDiskInfo.file("vda", "/images/vda.qcow2", "qcow2"),
            DomainDiskInfo.block("vdb", "/dev/vg/vdb", "raw"),
            DomainDiskInfo.file("vdc", "/images/base.qcow2", "qcow2").asReadonly(),
            DomainDiskInfo.emptyDrive("hdc"));

    private final BackupXml xml = new BackupXml();

    @Test
    void withoutDisksOnlyWritableDisksWithMediaAreBackedUp() {
        DomainDisks files = DomainDisks.of(DomainDiskInfo.file("vda", "/images/vda.qcow2", "qcow2"),
                DomainDiskInfo.file("vdc", "/images/base.qcow2", "qcow2").asReadonly(), DomainDiskInfo.emptyDrive("hdc"));
        BackupDefinition aligned = BackupAlignment.align(xml.parse("<domainbackup/>"), files, "1620642185");
        assertThat(aligned.disks()).extracting(BackupDisk::name, BackupDisk::backup, BackupDisk::backupmode)
                .containsExactly(tuple("vda", true, DiskBackupMode.FULL), tuple("vdc", false, null), tuple("hdc", false, null));
        assertThat(aligned.disks().get(0).store().path()).isEqualTo("/images/vda.qcow2.1620642185");
    }

    @Test
    void blockSourcesNeverGetInventedFileNames() {
        assertThat(assertRejected(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                () -> BackupAlignment.align(xml.parse("<domainbackup/>"), DOMAIN, "S")).getMessage())
                .isEqualTo("refusing to generate file name for disk 'vdb'");
        BackupDefinition explicit = BackupAlignment.align(xml.parse("<domainbackup><disks><disk name='vdb' type='block'>"
                + "<target dev='/dev/vg/vdb-backup'/></disk></disks></domainbackup>"), DOMAIN, "S");
        assertThat(explicit.disks().get(0).store()).isEqualTo(new BackupStore("block", "/dev/vg/vdb-backup", null, null, null));
    }

    @Test
    void alignmentErrorsAreLibvirts() {
        assertAlignRejected("<disks><disk name='vdz'/></disks>", "no disk named 'vdz'");
        assertAlignRejected("<disks><disk name='vda'/><disk name='vda' backup='no'/></disks>", "disk 'vda' specified twice");
        assertAlignRejected("<disks><disk name='vda' backupmode='incremental'/></disks>",
                "'incremental' backup mode of disk 'vda' requires setting 'incremental' field for disk or backup");
        assertAlignRejected("<disks><disk name='hdc'/></disks>", "disk 'hdc' has no media");
        assertThat(assertRejected(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, () -> BackupAlignment.align(
                xml.parse("<domainbackup/>"), new DomainDisks(List.of()), "S")).getMessage())
                .isEqualTo("domain must have at least one disk to perform backup");
    }

    private void assertAlignRejected(String disks, String message) {
        BackupDefinition parsed = xml.parse("<domainbackup>" + disks + "</domainbackup>");
        assertThat(assertRejected(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                () -> BackupAlignment.align(parsed, DOMAIN, "S")).getMessage()).isEqualTo(message);
    }

    @Test
    void perDiskCheckpointMakesTheDiskIncremental() {
        BackupDefinition aligned = BackupAlignment.align(xml.parse(
                "<domainbackup><disks><disk name='vda' incremental='c1'/></disks></domainbackup>"), DOMAIN, "S");
        assertThat(aligned.disks().get(0)).extracting(BackupDisk::backupmode, BackupDisk::incremental)
                .containsExactly(DiskBackupMode.INCREMENTAL, "c1");
    }

    @Test
    void pullSchemaBranches() {
        String server = "<server name='localhost' port='10809'/>";
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'/>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'>" + server
                + "<disks><disk name='vda' type='block'/></disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'>" + server
                + "<disks><disk name='vda' type='file'><driver type='raw'/><scratch file='/s'/></disk></disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'>"
                + "<server transport='tcp'/></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'>"
                + "<server name='bad_host!' port='1'/></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse("<domainbackup mode='pull'>"
                + "<server name='h' port='99999999999'/></domainbackup>"));
        assertThat(xml.parse("<domainbackup mode='pull'><server name='fe80::1' port='10809'/></domainbackup>")
                .server().name()).isEqualTo("fe80::1");
        assertThat(xml.parse("<domainbackup mode='pull'><server name='::ffff:10.0.0.1'/></domainbackup>")
                .server().port()).isNull();
    }

    @Test
    void backupNoIgnoresTheRestAndFullForbidsIncremental() {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(
                "<domainbackup><disks><disk name='vda' backup='no' type='file'/></disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(
                "<domainbackup><disks><disk name='vda' backupmode='full' incremental='c1'/></disks></domainbackup>"));
        BackupDisk disk = xml.parse("<domainbackup><disks><disk name='vda' backup='no' backupmode='full'/></disks>"
                + "</domainbackup>").disks().get(0);
        assertThat(disk).isEqualTo(new BackupDisk("vda", false, null, null, null, null, null, null));
    }

    @Test
    void seclabelFollowsDevSeclabel() {
        String prefix = "<domainbackup><disks><disk name='vda' type='file'><target file='/b/vda'>";
        String suffix = "</target></disk></disks></domainbackup>";
        for (String valid : List.of("<seclabel model='dac' relabel='no'/>", "<seclabel labelskip='yes'/>",
                "<seclabel model='selinux'><label>system_u:object_r:svirt_image_t:s0</label></seclabel>",
                "<seclabel relabel='yes'><label>a</label></seclabel>")) {
            assertThat(xml.parse(prefix + valid + suffix).disks().get(0).store().seclabels()).hasSize(1);
        }
        for (String invalid : List.of("<seclabel model='dac'/>", "<seclabel relabel='yes'/>",
                "<seclabel labelskip='no'/>", "<seclabel relabel='no'><label>a</label></seclabel>",
                "<seclabel relabel='no' labelskip='yes'/>")) {
            assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(prefix + invalid + suffix));
        }
    }

    @Test
    void encryptionFollowsTheBackupSchema() {
        String prefix = "<domainbackup><disks><disk name='vda' type='file'><target file='/b/vda'>";
        String suffix = "</target></disk></disks></domainbackup>";
        String secret = "<secret type='passphrase' usage='/storage/backup/vda'/>";
        assertThat(xml.parse(prefix + "<encryption format='luks' engine='qemu'>" + secret
                + "<cipher name='aes' size='256' mode='xts' hash='sha256'/><ivgen name='plain64' hash='sha256'/>"
                + "</encryption>" + suffix).disks().get(0).store().encryption()).startsWith("<encryption format='luks'");
        for (String invalid : List.of("<encryption format='qcow'>" + secret + "</encryption>",
                "<encryption format='luks'/>",
                "<encryption format='luks'><secret type='volume' usage='x'/></encryption>",
                "<encryption format='luks'><secret type='passphrase' uuid='nope'/></encryption>",
                "<encryption format='luks'>" + secret + "<cipher name='aes' size='256'/></encryption>",
                "<encryption format='luks'>" + secret + "<cipher name='aes' size='256' mode='xts'/>"
                        + "<ivgen name='plain64'/></encryption>")) {
            assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(prefix + invalid + suffix));
        }
    }

    @Test
    void qemuDriverDefaultsNameExportsAndIncrementalBitmaps() {
        BackupDefinition aligned = BackupAlignment.align(xml.parse("<domainbackup mode='pull'><incremental>c1</incremental>"
                + "<server transport='unix' socket='/run/nbd.sock'/><disks><disk name='vda' type='file'>"
                + "<scratch file='/s/vda'/></disk><disk name='vdb' type='block' backupmode='full'>"
                + "<scratch dev='/dev/s'/></disk></disks></domainbackup>"), DOMAIN, "S");
        BackupDefinition started = QemuBackupDefaults.applyPullExportDefaults(aligned);
        assertThat(started.disks()).extracting(BackupDisk::name, BackupDisk::exportname, BackupDisk::exportbitmap)
                .containsExactly(tuple("vda", "vda", "backup-vda"), tuple("vdb", "vdb", null),
                        tuple("vdc", null, null), tuple("hdc", null, null));
        assertThat(xml.format(started)).contains(
                "<disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c1' exportname='vda'"
                        + " exportbitmap='backup-vda'>");
    }

    @Test
    void verbatimStorePartsCannotSmuggleMarkup() {
        BackupStore store = new BackupStore("file", "/b/vda", null,
                List.of("<seclabel model='dac' relabel='no'><evil/></seclabel>"), null);
        BackupDefinition forged = new BackupDefinition(BackupMode.PUSH, null, null,
                List.of(new BackupDisk("vda", true, DiskBackupMode.FULL, null, null, null, store, null)));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.format(forged));
        BackupStore attrInjection = new BackupStore("file", "/b/x' evil='1", null, null, null);
        BackupDefinition escaped = new BackupDefinition(BackupMode.PUSH, null, null,
                List.of(new BackupDisk("vda", true, DiskBackupMode.FULL, null, null, null, attrInjection, null)));
        assertThat(xml.format(escaped)).contains("<target file='/b/x&apos; evil=&apos;1'/>");
    }
}
