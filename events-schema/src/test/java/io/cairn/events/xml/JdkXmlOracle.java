package io.cairn.events.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The JDK's StAX parser, used only by tests as a reference for what a conforming XML parser makes of a
 * document (DTDs off), so the strict parser can be checked against it.
 */
final class JdkXmlOracle {

    private JdkXmlOracle() {
    }

    /** The document's tree, or an exception when the JDK parser finds it malformed. */
    static XmlElement parse(String xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
        try {
            Deque<Object[]> open = new ArrayDeque<>();
            XmlElement root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    List<XmlAttribute> attributes = new ArrayList<>();
                    for (int i = 0; i < reader.getAttributeCount(); i++) {
                        attributes.add(new XmlAttribute(
                                qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)),
                                reader.getAttributeValue(i)));
                    }
                    open.push(new Object[] {qualified(reader.getPrefix(), reader.getLocalName()), attributes, new ArrayList<XmlNode>(), new StringBuilder()});
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    if (!open.isEmpty()) {
                        ((StringBuilder) open.peek()[3]).append(reader.getText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    XmlElement done = build(open.pop());
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        flush(open.peek());
                        content(open.peek()).add(done);
                    }
                } else if (event == XMLStreamConstants.ENTITY_REFERENCE || event == XMLStreamConstants.DTD) {
                    throw new XMLStreamException("DTD or entity reference");
                }
            }
            return root;
        } finally {
            reader.close();
        }
    }

    private static String qualified(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    @SuppressWarnings("unchecked")
    private static List<XmlNode> content(Object[] frame) {
        return (List<XmlNode>) frame[2];
    }

    private static void flush(Object[] frame) {
        StringBuilder text = (StringBuilder) frame[3];
        if (text.length() > 0) {
            content(frame).add(new XmlText(text.toString()));
            text.setLength(0);
        }
    }

    @SuppressWarnings("unchecked")
    private static XmlElement build(Object[] frame) {
        flush(frame);
        return new XmlElement((String) frame[0], (List<XmlAttribute>) frame[1], content(frame));
    }
}
