package io.cairn.events.xml;

import java.util.List;

/**
 * A text buffer that lays XML out exactly as libvirt's {@code virBuffer} helpers do: two-space indents,
 * single-quoted attributes, libvirt's escaping, and elements that vanish when they have nothing to say.
 */
final class LibvirtXmlWriter {

    private final StringBuilder out;
    private int indent;

    LibvirtXmlWriter(int indent) {
        this.out = new StringBuilder(256);
        this.indent = indent;
    }

    LibvirtXmlWriter() {
        this(0);
    }

    /** A buffer for an element's children, indented one level deeper (libvirt's VIR_BUFFER_INIT_CHILD). */
    LibvirtXmlWriter child() {
        return new LibvirtXmlWriter(indent + 2);
    }

    boolean isEmpty() {
        return out.length() == 0;
    }

    void adjustIndent(int delta) {
        indent += delta;
    }

    /** Writes one already-escaped line at the current indentation. */
    LibvirtXmlWriter line(String text) {
        out.append(" ".repeat(indent)).append(text).append('\n');
        return this;
    }

    /** {@code <name>value</name>}, or nothing when the value is null (libvirt's virBufferEscapeString). */
    LibvirtXmlWriter textElement(String name, String value) {
        if (value != null) {
            line("<" + name + ">" + escape(value) + "</" + name + ">");
        }
        return this;
    }

    /**
     * An element from attributes and a child buffer, as libvirt's {@code virXMLFormatElement}: nothing at
     * all when both are empty, a self-closed tag without children.
     */
    LibvirtXmlWriter element(String name, Attributes attributes, LibvirtXmlWriter children) {
        boolean noAttributes = attributes == null || attributes.isEmpty();
        boolean noChildren = children == null || children.isEmpty();
        if (noAttributes && noChildren) {
            return this;
        }
        String open = "<" + name + (noAttributes ? "" : attributes.toString());
        if (noChildren) {
            return line(open + "/>");
        }
        line(open + ">");
        out.append(children.out);
        return line("</" + name + ">");
    }

    /** Lays out a parsed element and its subtree at the current indentation (used for verbatim parts). */
    LibvirtXmlWriter tree(XmlElement element) {
        Attributes attributes = new Attributes();
        for (XmlAttribute attribute : element.attributes()) {
            attributes.add(attribute.name(), attribute.value());
        }
        String open = "<" + element.name() + attributes;
        if (!element.hasElementChildren()) {
            String text = element.textContent();
            return text.isEmpty()
                    ? line(open + "/>")
                    : line(open + ">" + escape(text) + "</" + element.name() + ">");
        }
        line(open + ">");
        indent += 2;
        List<XmlNode> content = element.content();
        for (XmlNode node : content) {
            if (node instanceof XmlElement child) {
                tree(child);
            } else if (node instanceof XmlText text && !text.isBlank()) {
                // Mixed content is unusual in libvirt documents; keep the words, drop layout whitespace.
                line(escape(text.text().strip()));
            }
        }
        indent -= 2;
        return line("</" + element.name() + ">");
    }

    /** Appends text formatted elsewhere (already indented). */
    LibvirtXmlWriter raw(String formatted) {
        out.append(formatted);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * libvirt's {@code virBufferEscapeString}: the five XML specials become entities and control
     * characters other than tab, newline and carriage return are dropped.
     */
    static String escape(String value) {
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '\'' -> "&apos;";
                case '"' -> "&quot;";
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "" : null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? value : escaped.toString();
    }

    /** An attribute list in insertion order; null values are skipped as libvirt skips NULL strings. */
    static final class Attributes {
        private final StringBuilder text = new StringBuilder(64);

        Attributes add(String name, String value) {
            if (value != null) {
                text.append(' ').append(name).append("='").append(escape(value)).append('\'');
            }
            return this;
        }

        boolean isEmpty() {
            return text.length() == 0;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
