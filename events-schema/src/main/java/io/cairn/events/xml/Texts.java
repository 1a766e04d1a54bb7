package io.cairn.events.xml;

/** Small string rules shared by the parsers. */
final class Texts {

    private Texts() {
    }

    /** libvirt's {@code virXPathString} answers NULL for an empty result; mirror that. */
    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The text of an optional child element, null when absent or empty. */
    static String childText(XmlElement parent, String childName) {
        XmlElement child = parent.element(childName);
        return child == null ? null : emptyToNull(child.textContent());
    }

    /** A formatted element without its final newline, the form verbatim parts are stored in. */
    static String verbatim(XmlElement element) {
        String text = new LibvirtXmlWriter().tree(element).toString();
        return text.substring(0, text.length() - 1);
    }
}
