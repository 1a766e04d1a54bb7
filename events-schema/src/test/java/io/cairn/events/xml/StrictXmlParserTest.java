package io.cairn.events.xml;

import static io.cairn.events.xml.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.events.error.VirErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strict parser agrees with the JDK's conforming parser: same tree for well-formed documents
 * (libvirt's data and tricky corners of XML), both refuse malformed ones.
 */
class StrictXmlParserTest {

    private final SecureXmlReader reader = new SecureXmlReader();

    static Stream<String> conformanceDocuments() {
        List<String> documents = new ArrayList<>();
        for (String dir : List.of("domainbackupxml2xmlin", "domainbackupxml2xmlout",
                "qemudomaincheckpointxml2xmlin", "qemudomaincheckpointxml2xmlout")) {
            for (String name : ConformanceData.caseNames(dir)) {
                documents.add(dir + "/" + name);
            }
        }
        return documents.stream();
    }

    @ParameterizedTest(name = "same tree as the JDK parser: {0}")
    @MethodSource("conformanceDocuments")
    void conformanceDataParsesLikeTheJdkParser(String document) throws XMLStreamException {
        String[] parts = document.split("/");
        String xml = ConformanceData.read(parts[0], parts[1]);
        assertEquals(JdkXmlOracle.parse(xml), reader.read(xml));
    }

    @ParameterizedTest(name = "well-formed {index}")
    @ValueSource(strings = {
        "<?xml version='1.0' encoding='UTF-8'?>\n<a/>",
        "<!-- lead --><?pi data?><a/><!-- trail -->\n",
        "<a b=\"it's\" c='say \"hi\"'>x</a>",
        "<a b='tab\there&#9;kept' c='line\nbreak&#10;kept'/>",
        "<a>one<!-- c -->two<?p i?>three</a>",
        "<a><![CDATA[<not> & markup]]>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x20AC;</a>",
        "<a>]] > and ]</a>",
        "<a >text</a >",
        "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-x'/></qemu:commandline>",
        "<\u00e9l\u00e9ment attr\u00b7ibute='\u00fc'>\u65e5\u672c</\u00e9l\u00e9ment>",
        "<a>\r\nwindows\rmac</a>",
        "<a b='\r\n'/>",
        "<a><b><c/></b><b/></a>",
        "<a>&#x10000;</a>",
    })
    void wellFormedCornersParseLikeTheJdkParser(String xml) throws XMLStreamException {
        assertEquals(JdkXmlOracle.parse(xml), reader.read(xml));
    }

    @ParameterizedTest(name = "malformed {index}: {0}")
    @ValueSource(strings = {
        "<a>", "<a></b>", "<a b='1' b='2'/>", "<a b='<'/>", "<a>&</a>", "<a>]]></a>", "<a b=1/>",
        "<a b='1'c='2'/>", "<a/><b/>", "<a/>text", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>\u0001</a>",
        "<a/><?xml version='1.0'?>", " <?xml version='1.0'?><a/>", "<a><!-- a -- b --></a>", "<1a/>",
        "<a>&#12a;</a>", "<a>&#x;</a>", "<a>&#-5;</a>", "<a><![CDATA[x</a>", "<a", "<a b='x", "<>",
        "<a>&#x110000;</a>", "<a><!ELEMENT b ANY></a>", "<a b/>",
    })
    void malformedDocumentsAreRefusedLikeTheJdkParserDoes(String xml) {
        assertThrows(XMLStreamException.class, () -> JdkXmlOracle.parse(xml));
        assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> reader.read(xml));
    }

    /** A byte-order mark a decoder left in the string is tolerated (the JDK parser only skips it in bytes). */
    @org.junit.jupiter.api.Test
    void leadingByteOrderMarkIsIgnored() {
        assertEquals(new XmlElement("a", List.of(), List.of()), reader.read("\uFEFF<?xml version=\"1.0\"?><a/>"));
    }

    @ParameterizedTest(name = "error position {0}")
    @ValueSource(strings = {"<a>\n<b>\n</a>"})
    void errorsSayWhere(String xml) {
        assertThat(assertRejected(VirErrorCode.VIR_ERR_XML_ERROR, () -> reader.read(xml)).getMessage())
                .contains("line 3");
    }
}
