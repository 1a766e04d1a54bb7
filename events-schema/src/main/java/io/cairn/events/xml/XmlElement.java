package io.cairn.events.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * An element of a parsed document with attributes in document order and its content, so parsers can
 * query it like libvirt's XPath helpers and verbatim parts (an embedded {@code <domain>}) can be
 * formatted again.
 */
public record XmlElement(String name, List<XmlAttribute> attributes, List<XmlNode> content) implements XmlNode {

    public XmlElement {
        attributes = List.copyOf(attributes);
        content = List.copyOf(content);
    }

    /** The attribute's value, or null when absent (like libvirt's {@code virXMLPropString}). */
    public String attribute(String attributeName) {
        for (XmlAttribute attribute : attributes) {
            if (attribute.name().equals(attributeName)) {
                return attribute.value();
            }
        }
        return null;
    }

    public boolean hasAttribute(String attributeName) {
        return attribute(attributeName) != null;
    }

    /** Child elements in document order. */
    public List<XmlElement> elements() {
        List<XmlElement> result = new ArrayList<>(content.size());
        for (XmlNode node : content) {
            if (node instanceof XmlElement element) {
                result.add(element);
            }
        }
        return result;
    }

    /** The first child element with that name, or null. */
    public XmlElement element(String elementName) {
        for (XmlNode node : content) {
            if (node instanceof XmlElement element && element.name().equals(elementName)) {
                return element;
            }
        }
        return null;
    }

    public boolean hasElementChildren() {
        for (XmlNode node : content) {
            if (node instanceof XmlElement) {
                return true;
            }
        }
        return false;
    }

    /** All descendant text concatenated, as XPath {@code string(.)} computes it. */
    public String textContent() {
        StringBuilder text = new StringBuilder();
        appendText(this, text);
        return text.toString();
    }

    private static void appendText(XmlElement element, StringBuilder text) {
        for (XmlNode node : element.content) {
            if (node instanceof XmlText run) {
                text.append(run.text());
            } else {
                appendText((XmlElement) node, text);
            }
        }
    }

    /** True when some direct text child is not whitespace (element-only content forbids that). */
    public boolean hasSignificantText() {
        for (XmlNode node : content) {
            if (node instanceof XmlText run && !run.isBlank()) {
                return true;
            }
        }
        return false;
    }
}
