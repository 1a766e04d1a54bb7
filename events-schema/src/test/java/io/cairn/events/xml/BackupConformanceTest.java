package io.cairn.events.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libvirt's domainbackupxml2xml cases, run the way libvirt's own harness runs them: parse, align against
 * a stand-in domain (the listed disks plus vdextradisk, all /fake/NAME.qcow2) with suffix SUFFIX, format,
 * compare byte for byte.
 */
class BackupConformanceTest {

    private static final String IN = "domainbackupxml2xmlin";
    private static final String OUT = "domainbackupxml2xmlout";

    private final BackupXml backupXml = new BackupXml();

    static List<String> cases() {
        return ConformanceData.caseNames(IN);
    }

    @ParameterizedTest(name = "backup {0}")
    @MethodSource("cases")
    void inputFormatsAsLibvirtExpects(String caseName) {
        String input = ConformanceData.read(IN, caseName);
        String expected = ConformanceData.read(OUT, caseName);

        String actual;
        if (isInternal(caseName)) {
            BackupStatus status = backupXml.parseInternal(input);
            BackupDefinition aligned = BackupAlignment.align(status.definition(), standInDomain(status.definition()), "SUFFIX");
            actual = backupXml.formatInternal(status.withDefinition(aligned));
        } else {
            BackupDefinition parsed = backupXml.parse(input);
            actual = backupXml.format(BackupAlignment.align(parsed, standInDomain(parsed), "SUFFIX"));
        }

        assertEquals(expected, actual, "formatted " + caseName + " differs from libvirt's " + OUT + "/" + caseName);
    }

    @ParameterizedTest(name = "backup {0} out->out is stable")
    @MethodSource("cases")
    void outputIsAFixedPoint(String caseName) {
        String expected = ConformanceData.read(OUT, caseName);
        String again;
        if (isInternal(caseName)) {
            BackupStatus status = backupXml.parseInternal(expected);
            again = backupXml.formatInternal(status.withDefinition(
                    BackupAlignment.align(status.definition(), standInDomain(status.definition()), "SUFFIX")));
        } else {
            BackupDefinition parsed = backupXml.parse(expected);
            again = backupXml.format(BackupAlignment.align(parsed, standInDomain(parsed), "SUFFIX"));
        }
        assertEquals(expected, again);
    }

    /** The status-only attributes make this document invalid for the public schema, hence its name. */
    @Test
    void internalFormIsRefusedByThePublicParser() {
        String input = ConformanceData.read(IN, "backup-pull-internal-invalid");
        BackupDefinition[] parsed = new BackupDefinition[1];
        CairnException error = assertThrows(CairnException.class, () -> parsed[0] = backupXml.parse(input));
        assertEquals(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, error.code());
        assertThat(error.getMessage()).contains("domainbackup.rng").contains("privateData");
        assertThat(parsed[0]).isNull();

        String withoutPrivateData = input.replaceAll("(?s)  <privateData>.*</privateData>\n", "");
        CairnException stateError = assertThrows(CairnException.class, () -> parsed[0] = backupXml.parse(withoutPrivateData));
        assertEquals(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, stateError.code());
        assertThat(stateError.getMessage()).contains("state");
        assertThat(parsed[0]).isNull();
    }

    @Test
    void internalFormCarriesStatesAndTlsAliases() {
        BackupStatus status = backupXml.parseInternal(ConformanceData.read(IN, "backup-pull-internal-invalid"));
        assertThat(status.tlsAlias()).isEqualTo("test-tlsobj");
        assertThat(status.tlsSecretAlias()).isEqualTo("test-tlskey");
        assertThat(status.definition().disks()).extracting(BackupDisk::state)
                .containsExactly("running", "complete", "running");
    }

    @Test
    void statusFormKeepsStoreIndexes() {
        String status = """
                <domainbackup mode='pull'>
                  <server transport='unix' socket='/run/nbd.sock'/>
                  <disks>
                    <disk name='vda' backup='yes' state='running' type='file' backupmode='full' exportname='vda' index='7'>
                      <driver type='qcow2'/>
                      <scratch file='/s/vda.qcow2'/>
                    </disk>
                    <disk name='vdb' backup='no'/>
                  </disks>
                </domainbackup>
                """;
        BackupStatus parsed = backupXml.parseInternal(status);
        assertThat(parsed.storeIndexes()).containsExactly(java.util.Map.entry("vda", 7));
        assertEquals(status, backupXml.formatInternal(parsed));
        assertThat(backupXml.format(parsed.definition())).doesNotContain("index=").doesNotContain("state=");
    }

    private static boolean isInternal(String caseName) {
        return caseName.contains("internal");
    }

    /** libvirt's fake domain: every disk the backup names, then vdextradisk; each a qcow2 file. */
    static DomainDisks standInDomain(BackupDefinition definition) {
        List<DomainDiskInfo> disks = new ArrayList<>();
        if (definition.disks() != null) {
            for (BackupDisk disk : definition.disks()) {
                disks.add(fakeDisk(disk.name()));
            }
        }
        if (disks.stream().noneMatch(disk -> disk.target().equals("vdextradisk"))) {
            disks.add(fakeDisk("vdextradisk"));
        }
        return new DomainDisks(disks);
    }

    private static DomainDiskInfo fakeDisk(String target) {
        return DomainDiskInfo.file(target, "/fake/" + target + ".qcow2", "qcow2");
    }
}
