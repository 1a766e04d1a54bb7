package io.cairn.events.xml;

import static io.cairn.events.xml.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Documents built to attack or confuse the parsers: each is refused with the right code, nothing returned. */
class HostileInputTest {

    private static final Duration QUICKLY = Duration.ofSeconds(5);

    private final CheckpointXml checkpoints = new CheckpointXml(XmlLimits.DEFAULT, () -> 1525889631L);
    private final BackupXml backups = new BackupXml();

    @Test
    void doctypeIsRefused() {
        CairnException error = assertRejected(VirErrorCode.VIR_ERR_XML_ERROR,
                () -> checkpoints.parse("<!DOCTYPE domaincheckpoint><domaincheckpoint/>"));
        assertThat(error.getMessage()).contains("DOCTYPE");
    }

    @Test
    void externalEntityIsNeverResolved() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE domaincheckpoint [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <domaincheckpoint><description>&xxe;</description></domaincheckpoint>
                """;
        CairnException error = assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> checkpoints.parse(xxe));
        assertThat(error.getMessage()).doesNotContain("root:");
    }

    @Test
    void externalDtdIsNeverFetched() {
        String external = "<!DOCTYPE domainbackup SYSTEM \"http://127.0.0.1:9/evil.dtd\"><domainbackup/>";
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> backups.parse(external));
    }

    @Test
    void billionLaughsIsRefusedBeforeExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String bomb = dtd.append("]><domaincheckpoint><description>&lol9;</description></domaincheckpoint>").toString();
        assertTimeoutPreemptively(QUICKLY, () -> assertRejected(VirErrorCode.VIR_ERR_XML_ERROR,
                () -> checkpoints.parse(bomb)));
    }

    @Test
    void undeclaredEntityIsRefused() {
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR,
                () -> checkpoints.parse("<domaincheckpoint><description>&boom;</description></domaincheckpoint>"));
    }

    @Test
    void oversizeDocumentIsRefusedUnparsed() {
        String huge = "<domaincheckpoint><description>" + "x".repeat(XmlLimits.DEFAULT_MAX_BYTES)
                + "</description></domaincheckpoint>";
        CairnException error = assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> checkpoints.parse(huge));
        assertThat(error.getMessage()).contains("size limit");
    }

    @Test
    void sizeLimitIsConfigurableAndCountsUtf8Bytes() {
        BackupXml tiny = new BackupXml(new XmlLimits(64, XmlLimits.DEFAULT_MAX_DEPTH));
        // 30 three-byte characters: 30 chars but 90 bytes
        String multiByte = "<domainbackup><incremental>" + "\u20ac".repeat(30) + "</incremental></domainbackup>";
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> tiny.parse(multiByte));
        assertThat(tiny.parse("<domainbackup/>").mode().xml()).isEqualTo("push");
    }

    @Test
    void deepNestingIsRefused() {
        int depth = 100_000;
        String deep = "<domaincheckpoint><description>" + "<a>".repeat(depth) + "</a>".repeat(depth)
                + "</description></domaincheckpoint>";
        CairnException error = assertTimeoutPreemptively(QUICKLY,
                () -> assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> checkpoints.parse(deep)));
        assertThat(error.getMessage()).contains("deeper");
    }

    @Test
    void depthLimitIsConfigurable() {
        CheckpointXml shallow = new CheckpointXml(new XmlLimits(XmlLimits.DEFAULT_MAX_BYTES, 2), () -> 1L);
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR,
                () -> shallow.parse("<domaincheckpoint><disks><disk name='vda'/></disks></domaincheckpoint>"));
        assertThat(shallow.parse("<domaincheckpoint><name>ok</name></domaincheckpoint>").name()).isEqualTo("ok");
    }

    @Test
    void thousandsOfAttributesCostLinearTime() {
        StringBuilder element = new StringBuilder("<domaincheckpoint");
        for (int i = 0; i < 40_000; i++) {
            element.append(" a").append(i).append("=''");
        }
        String wide = element.append(" a7=''/>").toString();
        CairnException error = assertTimeoutPreemptively(QUICKLY,
                () -> assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> checkpoints.parse(wide)));
        assertThat(error.getMessage()).contains("redefined");
    }

    @Test
    void depthLimitCannotBeRaisedPastWhatTheParserSupports() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new XmlLimits(XmlLimits.DEFAULT_MAX_BYTES, XmlLimits.MAX_SUPPORTED_DEPTH + 1));
    }

    @Test
    void malformedXmlIsAnXmlError() {
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> checkpoints.parse("<domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> backups.parse(""));
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> backups.parse("<domainbackup/><domainbackup/>"));
    }

    @Test
    void unknownElementsAndAttributesAreSchemaErrors() {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> checkpoints.parse("<domaincheckpoint><evil/></domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> checkpoints.parse("<domaincheckpoint><disks><disk name='vda' evil='1'/></disks></domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> checkpoints.parse("<domaincheckpoint evil='1'/>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<domainbackup><disks><disk name='vda' type='file'><evil/></disk></disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<domainbackup mode='push'><server name='localhost'/></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<wrongroot/>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<domainbackup mode='sideways'/>"));
    }

    static Stream<String> badNames() {
        return Stream.of("../x", "../escape", "a/b", "/abs", "line\nbreak", ".hidden", "", "sp ace");
    }

    @ParameterizedTest(name = "checkpoint name {0}")
    @MethodSource("badNames")
    void badCheckpointNamesAreSchemaErrors(String name) {
        String escaped = name.replace("\n", "&#10;");
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> checkpoints.parse("<domaincheckpoint><name>" + escaped + "</name></domaincheckpoint>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> checkpoints.parse(
                "<domaincheckpoint><name>ok</name><creationTime>1</creationTime><parent><name>" + escaped
                        + "</name></parent></domaincheckpoint>", CheckpointParseFlag.REDEFINE));
    }

    @ParameterizedTest(name = "backup incremental {0}")
    @MethodSource("badNames")
    void badCheckpointReferencesInBackupsAreSchemaErrors(String name) {
        String escaped = name.replace("\n", "&#10;");
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<domainbackup><incremental>" + escaped + "</incremental></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> backups.parse(
                "<domainbackup><disks><disk name='vda' incremental='" + escaped + "'/></disks></domainbackup>"));
    }

    @ParameterizedTest(name = "disk name {0}")
    @ValueSource(strings = {"../vda", "vda/../../etc", "vd a", "vda&#10;", "disk1", "vda-1"})
    void badDiskNamesAreSchemaErrors(String name) {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> backups.parse("<domainbackup><disks><disk name='" + name + "'/></disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                () -> checkpoints.parse("<domaincheckpoint><disks><disk name='" + name + "'/></disks></domaincheckpoint>"));
    }

    @ParameterizedTest(name = "relative path {0}")
    @ValueSource(strings = {
        "<domainbackup><disks><disk name='vda' type='file'><target file='relative/vda.bak'/></disk></disks></domainbackup>",
        "<domainbackup><disks><disk name='vda' type='file'><target file='../vda.bak'/></disk></disks></domainbackup>",
        "<domainbackup><disks><disk name='vda' type='block'><target dev='dev/sdb'/></disk></disks></domainbackup>",
        "<domainbackup mode='pull'><server name='localhost' port='10809'/><disks><disk name='vda' type='file'>"
                + "<scratch file='tmp/scratch.qcow2'/></disk></disks></domainbackup>",
        "<domainbackup mode='pull'><server name='localhost' port='10809'/><disks><disk name='vda' type='block'>"
                + "<scratch dev='sdb'/></disk></disks></domainbackup>",
        "<domainbackup mode='pull'><server transport='unix' socket='run/nbd.sock'/></domainbackup>",
        "<domainbackup mode='pull'><server transport='unix' socket='/'/></domainbackup>",
    })
    void relativePathsAreSchemaErrors(String document) {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> backups.parse(document));
    }

    @Test
    void relativeCheckpointDiskPathIsASchemaError() {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> checkpoints.parse(
                "<domaincheckpoint><disks><disk name='var/lib/vda.qcow2'/></disks></domaincheckpoint>"));
    }

    @Test
    void statusFormIsAlsoValidated() {
        assertRejected(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, () -> backups.parseInternal(
                "<domainbackup><disks><disk name='vda' state='running' type='file'><target file='rel'/></disk>"
                        + "</disks></domainbackup>"));
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> backups.parseInternal(
                "<domainbackup><disks><disk name='vda' type='file'/></disks></domainbackup>"));
    }
}
