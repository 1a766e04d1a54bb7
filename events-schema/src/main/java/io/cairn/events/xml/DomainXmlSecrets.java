package io.cairn.events.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes what libvirt only shows with the SECURE flag from a verbatim domain: the {@code passwd} of
 * {@code <graphics>} devices.
 */
final class DomainXmlSecrets {

    private DomainXmlSecrets() {
    }

    static boolean hasSecrets(XmlElement element) {
        if (element.name().equals("graphics") && element.hasAttribute("passwd")) {
            return true;
        }
        return element.content().stream().anyMatch(node -> node instanceof XmlElement child && hasSecrets(child));
    }

    static XmlElement withoutSecrets(XmlElement element) {
        List<XmlAttribute> attributes = element.attributes();
        if (element.name().equals("graphics") && element.hasAttribute("passwd")) {
            attributes = new ArrayList<>();
            for (XmlAttribute attribute : element.attributes()) {
                if (!attribute.name().equals("passwd")) {
                    attributes.add(attribute);
                }
            }
        }
        List<XmlNode> content = new ArrayList<>(element.content().size());
        for (XmlNode node : element.content()) {
            content.add(node instanceof XmlElement child ? withoutSecrets(child) : node);
        }
        return new XmlElement(element.name(), attributes, content);
    }
}
