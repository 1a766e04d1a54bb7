package io.cairn.events.xml;

import java.nio.charset.StandardCharsets;

/**
 * The secure front end every Cairn XML parser goes through: it turns untrusted text into an
 * {@link XmlElement} tree and refuses everything a hostile document could use against us: DTDs (and
 * with them every entity trick: XXE, billion laughs), oversize documents and runaway nesting. Nothing is
 * resolved, fetched or expanded, and the size is checked before any parsing starts.
 */
public final class SecureXmlReader {

    private final XmlLimits limits;

    public SecureXmlReader(XmlLimits limits) {
        this.limits = limits;
    }

    public SecureXmlReader() {
        this(XmlLimits.DEFAULT);
    }

    public XmlLimits limits() {
        return limits;
    }

    /**
     * Parses a whole document.
     *
     * @throws io.cairn.events.error.CairnException VIR_ERR_XML_ERROR for anything that is not a small,
     *         plain, well-formed document
     */
    public XmlElement read(String xml) {
        if (xml == null || xml.isBlank()) {
            throw XmlErrors.malformed("(document): empty XML document");
        }
        checkSize(xml);
        return StrictXmlParser.parse(xml, limits.maxDepth());
    }

    private void checkSize(String xml) {
        // Cheap bound first: a char is at least one UTF-8 byte and at most three.
        if ((long) xml.length() * 3 <= limits.maxBytes()) {
            return;
        }
        if (xml.length() > limits.maxBytes()
                || xml.getBytes(StandardCharsets.UTF_8).length > limits.maxBytes()) {
            throw XmlErrors.malformed("XML document exceeds the size limit of " + limits.maxBytes() + " bytes");
        }
    }
}
