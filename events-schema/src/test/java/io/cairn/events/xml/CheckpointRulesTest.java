package io.cairn.events.xml;

import static io.cairn.events.xml.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libvirt's checkpoint defaults, alignment errors and formatting flags, one rule per test. */
class CheckpointRulesTest {

    private static final DomainDisks DOMAIN = DomainDisks.of(
            DomainDiskInfo.file("vda", "/images/vda.qcow2", "qcow2"),
            DomainDiskInfo.file("vdb", "/images/vdb.qcow2", "qcow2"),
            DomainDiskInfo.file("vdc", "/images/base.qcow2", "qcow2").asReadonly(),
            DomainDiskInfo.emptyDrive("hdc"));

    private final CheckpointXml xml = new CheckpointXml(XmlLimits.DEFAULT, () -> 1700000000L);

    @Test
    void createDefaultsNameToCreationTimeAndIgnoresStoredFields() {
        CheckpointDefinition parsed = xml.parse("<domaincheckpoint><creationTime>5</creationTime>"
                + "<parent><name>p</name></parent><domain type='kvm'/></domaincheckpoint>");
        assertThat(parsed.name()).isEqualTo("1700000000");
        assertThat(parsed.creationTime()).isEqualTo(1700000000L);
        assertThat(parsed.parent()).isNull();
        assertThat(parsed.domainXml()).isNull();
        assertThat(parsed.disks()).isNull();
    }

    @Test
    void withoutDisksEveryWritableDiskWithMediaGetsABitmap() {
        CheckpointDefinition aligned = CheckpointAlignment.align(xml.parse("<domaincheckpoint><name>c1</name></domaincheckpoint>"), DOMAIN);
        assertThat(aligned.disks()).extracting(CheckpointDisk::name, CheckpointDisk::checkpoint, CheckpointDisk::bitmap)
                .containsExactly(tuple("vda", CheckpointDiskMode.BITMAP, "c1"), tuple("vdb", CheckpointDiskMode.BITMAP, "c1"),
                        tuple("vdc", CheckpointDiskMode.NO, null), tuple("hdc", CheckpointDiskMode.NO, null));
    }

    @Test
    void listedDisksComeInDomainOrderAndPathsBecomeTargets() {
        CheckpointDefinition aligned = CheckpointAlignment.align(xml.parse("<domaincheckpoint><name>c1</name><disks>"
                + "<disk name='vdb' bitmap='own'/><disk name='/images/vda.qcow2'/></disks></domaincheckpoint>"), DOMAIN);
        assertThat(aligned.disks()).extracting(CheckpointDisk::name, CheckpointDisk::checkpoint, CheckpointDisk::bitmap)
                .containsExactly(tuple("vda", CheckpointDiskMode.BITMAP, "c1"), tuple("vdb", CheckpointDiskMode.BITMAP, "own"),
                        tuple("vdc", CheckpointDiskMode.NO, null), tuple("hdc", CheckpointDiskMode.NO, null));
    }

    @Test
    void alignmentErrorsAreLibvirts() {
        assertAlignRejected("<disk name='vdz'/>", "no disk named 'vdz'");
        assertAlignRejected("<disk name='vda'/><disk name='/images/vda.qcow2'/>", "disk '/images/vda.qcow2' specified twice");
        assertAlignRejected("<disk name='vdc'/>", "disk 'vdc' is empty or readonly");
        assertAlignRejected("<disk name='hdc' checkpoint='bitmap'/>", "disk 'hdc' is empty or readonly");
        assertAlignRejected("<disk name='vda'/><disk name='vdb'/><disk name='vdc' checkpoint='no'/>"
                + "<disk name='hdc' checkpoint='no'/><disk name='vdd'/>", "too many disk checkpoint requests for domain");
        assertThat(assertRejected(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, () -> CheckpointAlignment.align(
                xml.parse("<domaincheckpoint/>"), new DomainDisks(List.of()))).getMessage())
                .isEqualTo("domain must have at least one disk to perform checkpoints");
    }

    private void assertAlignRejected(String disks, String message) {
        CheckpointDefinition parsed = xml.parse("<domaincheckpoint><disks>" + disks + "</disks></domaincheckpoint>");
        assertThat(assertRejected(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                () -> CheckpointAlignment.align(parsed, DOMAIN)).getMessage()).isEqualTo(message);
    }

    @Test
    void redefineNeedsNameAndCreationTime() {
        assertThat(assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> xml.parse(
                "<domaincheckpoint><creationTime>1</creationTime></domaincheckpoint>", CheckpointParseFlag.REDEFINE))
                .getMessage()).isEqualTo("a redefined checkpoint must have a name");
        assertThat(assertRejected(VirErrorCode.VIR_ERR_INTERNAL_ERROR, () -> xml.parse(
                "<domaincheckpoint><name>c1</name></domaincheckpoint>", CheckpointParseFlag.REDEFINE))
                .getMessage()).isEqualTo("missing creationTime from existing checkpoint");
    }

    @Test
    void redefineWithoutDomainOnlyFillsBitmapNames() {
        CheckpointDefinition parsed = xml.parse("<domaincheckpoint><name>c9</name><creationTime>7</creationTime>"
                + "<disks><disk name='vda'/><disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>",
                CheckpointParseFlag.REDEFINE);
        assertThat(CheckpointAlignment.assignDefaultBitmapNames(parsed).disks())
                .extracting(CheckpointDisk::bitmap).containsExactly("c9", null);
    }

    @Test
    void checkpointNoForbidsBitmapAttributes() {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(
                "<domaincheckpoint><disks><disk name='vda' checkpoint='no' bitmap='x'/></disks></domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(
                "<domaincheckpoint><disks/></domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> xml.parse(
                "<domaincheckpoint><name>a</name><name>b</name></domaincheckpoint>"));
    }

    @Test
    void sizeIsFormattedOnlyWithTheFlagAndOnlyForBitmaps() {
        CheckpointDefinition definition = new CheckpointDefinition("c1", null, null, 1L, List.of(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "c1", 42L),
                new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, 7L)), null);
        assertThat(xml.format(definition)).contains("<disk name='vda' checkpoint='bitmap' bitmap='c1'/>");
        assertThat(xml.format(definition, CheckpointFormatFlag.SIZE))
                .contains("<disk name='vda' checkpoint='bitmap' bitmap='c1' size='42'/>")
                .contains("<disk name='vdb' checkpoint='no'/>");
    }

    @Test
    void domainIsOmittedWithNoDomainAndLosesPasswordsWithoutSecure() {
        String document = "<domaincheckpoint><name>c1</name><creationTime>3</creationTime>"
                + "<domain type=\"kvm\"><name>vm</name><devices><graphics type='vnc' port='-1' passwd='s3cret'/>"
                + "</devices></domain></domaincheckpoint>";
        CheckpointDefinition parsed = xml.parse(document, CheckpointParseFlag.REDEFINE);
        assertThat(xml.format(parsed, CheckpointFormatFlag.NO_DOMAIN)).doesNotContain("<domain ").doesNotContain("graphics");
        assertThat(xml.format(parsed)).contains("<graphics type='vnc' port='-1'/>").doesNotContain("s3cret");
        assertThat(xml.format(parsed, CheckpointFormatFlag.SECURE))
                .contains("    <graphics type='vnc' port='-1' passwd='s3cret'/>\n");
    }

    @Test
    void textIsEscapedAsLibvirtEscapesIt() {
        CheckpointDefinition parsed = xml.parse(
                "<domaincheckpoint><description>a &lt;b&gt; &amp; 'c' \"d\"</description></domaincheckpoint>");
        assertThat(parsed.description()).isEqualTo("a <b> & 'c' \"d\"");
        assertThat(xml.format(parsed)).contains("<description>a &lt;b&gt; &amp; &apos;c&apos; &quot;d&quot;</description>");
        assertThat(xml.parse(xml.format(parsed)).description()).isEqualTo(parsed.description());
    }

    @Test
    void embeddedDomainInTheModelMustBeADomain() {
        CheckpointDefinition forged = new CheckpointDefinition("c1", null, null, 1L, null, "<notadomain/>");
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> xml.format(forged, CheckpointFormatFlag.SECURE));
        CheckpointDefinition twoRoots = new CheckpointDefinition("c1", null, null, 1L, null,
                "<domain type='kvm'/><evil/>");
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> xml.format(twoRoots, CheckpointFormatFlag.SECURE));
    }
}
