package io.cairn.events.xml;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Turns untrusted XML text into an {@link XmlElement} tree, refusing everything a hostile document
 * could use against us: DTDs (and with them every entity trick: XXE, billion laughs), oversize
 * documents and runaway nesting. Nothing is resolved, fetched or expanded.
 */
public final class SecureXmlReader {

    /**
     * The JDK's own StAX implementation, configured once per thread: the factory is not documented as
     * thread-safe, and whatever StAX provider a user puts on the class path must not weaken the settings.
     */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(SecureXmlReader::newFactory);

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
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.get().createXMLStreamReader(new StringReader(xml));
            return readDocument(reader);
        } catch (XMLStreamException e) {
            throw XmlErrors.malformed("malformed XML document: " + firstLine(e.getMessage()));
        } finally {
            closeQuietly(reader);
        }
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

    private XmlElement readDocument(XMLStreamReader reader) throws XMLStreamException {
        Deque<ElementBuilder> open = new ArrayDeque<>();
        XmlElement root = null;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD ->
                        throw XmlErrors.malformed("DOCTYPE declarations are not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw XmlErrors.malformed("entity references are not allowed");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (root != null) {
                        throw XmlErrors.malformed("extra content after the document element");
                    }
                    if (open.size() >= limits.maxDepth()) {
                        throw XmlErrors.malformed("XML document nests deeper than " + limits.maxDepth() + " elements");
                    }
                    open.push(ElementBuilder.start(reader));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().text(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().child(done);
                    }
                }
                default -> {
                    // comments, processing instructions, document start/end carry nothing we keep
                }
            }
        }
        if (root == null) {
            throw XmlErrors.malformed("(document): no document element");
        }
        return root;
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // Prefixed names stay as written (e.g. qemu:commandline) so embedded domains format verbatim.
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return factory;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(newline + 1);
        return line.strip();
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing was opened outside this reader; there is nothing left to release
            }
        }
    }

    /** Collects one element while the reader walks its content. */
    private static final class ElementBuilder {
        private final String name;
        private final List<XmlAttribute> attributes;
        private final List<XmlNode> content = new ArrayList<>(4);
        private StringBuilder pendingText;

        private ElementBuilder(String name, List<XmlAttribute> attributes) {
            this.name = name;
            this.attributes = attributes;
        }

        static ElementBuilder start(XMLStreamReader reader) {
            int count = reader.getAttributeCount();
            List<XmlAttribute> attributes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                attributes.add(new XmlAttribute(qualifiedName(reader.getAttributePrefix(i),
                        reader.getAttributeLocalName(i)), reader.getAttributeValue(i)));
            }
            return new ElementBuilder(qualifiedName(reader.getPrefix(), reader.getLocalName()), attributes);
        }

        private static String qualifiedName(String prefix, String local) {
            return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
        }

        void text(String text) {
            if (pendingText == null) {
                pendingText = new StringBuilder(text);
            } else {
                pendingText.append(text);
            }
        }

        void child(XmlElement element) {
            flushText();
            content.add(element);
        }

        XmlElement build() {
            flushText();
            return new XmlElement(name, attributes, content);
        }

        private void flushText() {
            if (pendingText != null) {
                content.add(new XmlText(pendingText.toString()));
                pendingText = null;
            }
        }
    }
}
