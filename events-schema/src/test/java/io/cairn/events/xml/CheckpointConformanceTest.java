package io.cairn.events.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libvirt's qemudomaincheckpointxml2xml cases with the harness's fixed creation times, forced parent,
 * vda bitmap and size; plus the obsolete internal documents libvirt no longer accepts.
 */
class CheckpointConformanceTest {

    private static final String IN = "qemudomaincheckpointxml2xmlin";
    private static final String OUT = "qemudomaincheckpointxml2xmlout";
    private static final String FORCED_PARENT = "1525111885";

    /** An in→out case of libvirt's harness: its mock time and whether it forces the parent / a size. */
    record InOut(String name, long creationTime, boolean forceParent, boolean size) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<InOut> inOutCases() {
        return Stream.of(
                new InOut("empty", 1525889631L, false, false),
                new InOut("disk-default", 1525889631L, true, false),
                new InOut("sample", 1525889631L, true, false),
                new InOut("size", 1553648510L, true, true));
    }

    static Stream<String> invalidInputs() {
        return Stream.of("disk-invalid", "name-invalid");
    }

    static Stream<String> redefineCases() {
        return Stream.of("redefine");
    }

    /** Outputs of libvirt's removed internal parse mode: their {@code <active>} is not in the schema any more. */
    static Stream<String> obsoleteInternalCases() {
        return Stream.of("internal-active-invalid", "internal-inactive-invalid");
    }

    @ParameterizedTest(name = "checkpoint in->out {0}")
    @MethodSource("inOutCases")
    void inputFormatsAsLibvirtExpects(InOut testCase) {
        String input = ConformanceData.read(IN, testCase.name());
        String expected = ConformanceData.read(OUT, testCase.name());
        CheckpointXml xml = new CheckpointXml(XmlLimits.DEFAULT, testCase::creationTime);

        CheckpointDefinition parsed = xml.parse(input);
        assertNull(parsed.parent(), "a created checkpoint never reads a parent");
        // libvirt's harness forces "vda with bitmap = name"; aligning against a stand-in domain holding the
        // listed disks (vda when none) is the real rule and yields the same disks.
        CheckpointDefinition aligned = CheckpointAlignment.align(parsed, standInDomain(parsed));
        if (testCase.forceParent()) {
            aligned = withParent(aligned, FORCED_PARENT);
        }
        Set<CheckpointFormatFlag> flags = EnumSet.of(CheckpointFormatFlag.SECURE, CheckpointFormatFlag.NO_DOMAIN);
        if (testCase.size()) {
            aligned = withFirstDiskSize(aligned, 1048576L);
            flags.add(CheckpointFormatFlag.SIZE);
        }

        assertEquals(expected, xml.format(aligned, flags),
                "formatted " + testCase.name() + " differs from libvirt's " + OUT + "/" + testCase.name());
    }

    @ParameterizedTest(name = "checkpoint invalid {0}")
    @MethodSource("invalidInputs")
    void invalidInputIsRefusedBySchema(String caseName) {
        String input = ConformanceData.read(IN, caseName);
        CheckpointDefinition[] parsed = new CheckpointDefinition[1];
        CairnException error = assertThrows(CairnException.class, () -> parsed[0] = new CheckpointXml().parse(input));
        assertEquals(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, error.code());
        assertThat(error.getMessage()).startsWith("Unable to validate doc against domaincheckpoint.rng");
        assertNull(parsed[0]);
    }

    @ParameterizedTest(name = "checkpoint out->out redefine {0}")
    @MethodSource("redefineCases")
    void redefinitionRoundTripsByteForByte(String caseName) {
        String document = ConformanceData.read(OUT, caseName);
        CheckpointXml xml = new CheckpointXml();

        CheckpointDefinition parsed = xml.parse(document, CheckpointParseFlag.REDEFINE);

        assertThat(parsed.domainXml()).startsWith("<domain type='qemu'>").endsWith("</domain>");
        assertEquals(document, xml.format(parsed, CheckpointFormatFlag.SECURE),
                "redefinition " + caseName + " does not round-trip");
        // Redefinition aligns against the embedded domain; libvirt's data is already aligned.
        assertEquals(parsed.disks(), CheckpointAlignment.alignRedefinition(parsed, XmlLimits.DEFAULT).disks());
        // The stored form of the domain is itself a fixed point.
        assertEquals(parsed, xml.parse(xml.format(parsed, CheckpointFormatFlag.SECURE), CheckpointParseFlag.REDEFINE));
    }

    @ParameterizedTest(name = "checkpoint obsolete {0}")
    @MethodSource("obsoleteInternalCases")
    void obsoleteActiveElementIsRefusedBySchema(String caseName) {
        String document = ConformanceData.read(OUT, caseName);
        CheckpointDefinition[] parsed = new CheckpointDefinition[1];

        CairnException error = assertThrows(CairnException.class,
                () -> parsed[0] = new CheckpointXml().parse(document, CheckpointParseFlag.REDEFINE));

        assertEquals(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA, error.code());
        assertThat(error.getMessage()).contains("active");
        assertNull(parsed[0]);
    }

    /** Without the obsolete element, the rest of those documents is a valid redefinition. */
    @ParameterizedTest(name = "checkpoint obsolete {0} without <active>")
    @MethodSource("obsoleteInternalCases")
    void obsoleteDocumentsAreValidWithoutActive(String caseName) {
        String document = ConformanceData.read(OUT, caseName);
        String withoutActive = document.replaceAll("  <active>[01]</active>\n", "");
        CheckpointXml xml = new CheckpointXml();

        CheckpointDefinition parsed = xml.parse(withoutActive, CheckpointParseFlag.REDEFINE);

        assertEquals(withoutActive, xml.format(parsed, CheckpointFormatFlag.SECURE));
        assertThat(CheckpointAlignment.align(parsed, new DomainXmlDisks().read(parsed.domainXml())).disks())
                .extracting(CheckpointDisk::name, CheckpointDisk::bitmap)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vda", "1525889631"),
                        org.assertj.core.groups.Tuple.tuple("vdb", null));
    }

    /** Every file libvirt ships is exercised by some case above, so new data cannot go untested. */
    @Test
    void everyDataFileIsCovered() {
        Set<String> covered = new HashSet<>();
        inOutCases().forEach(c -> {
            covered.add(IN + "/" + c.name());
            covered.add(OUT + "/" + c.name());
        });
        invalidInputs().forEach(name -> covered.add(IN + "/" + name));
        redefineCases().forEach(name -> covered.add(OUT + "/" + name));
        obsoleteInternalCases().forEach(name -> covered.add(OUT + "/" + name));

        Set<String> present = new HashSet<>();
        ConformanceData.caseNames(IN).forEach(name -> present.add(IN + "/" + name));
        ConformanceData.caseNames(OUT).forEach(name -> present.add(OUT + "/" + name));

        assertEquals(present, covered);
    }

    private static DomainDisks standInDomain(CheckpointDefinition definition) {
        List<DomainDiskInfo> disks = new ArrayList<>();
        if (definition.disks() != null) {
            for (CheckpointDisk disk : definition.disks()) {
                disks.add(DomainDiskInfo.file(disk.name(), "/fake/" + disk.name() + ".qcow2", "qcow2"));
            }
        }
        if (disks.isEmpty()) {
            disks.add(DomainDiskInfo.file("vda", "/fake/vda.qcow2", "qcow2"));
        }
        return new DomainDisks(disks);
    }

    private static CheckpointDefinition withParent(CheckpointDefinition d, String parent) {
        return new CheckpointDefinition(d.name(), d.description(), parent, d.creationTime(), d.disks(), d.domainXml());
    }

    private static CheckpointDefinition withFirstDiskSize(CheckpointDefinition d, long size) {
        List<CheckpointDisk> disks = new ArrayList<>(d.disks());
        CheckpointDisk first = disks.get(0);
        disks.set(0, new CheckpointDisk(first.name(), first.checkpoint(), first.bitmap(), size));
        return new CheckpointDefinition(d.name(), d.description(), d.parent(), d.creationTime(), disks, d.domainXml());
    }
}
