package io.cairn.events.xml;

import io.cairn.events.error.CairnException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small XML 1.0 parser for the subset libvirt documents use: elements, attributes, text, CDATA,
 * comments, processing instructions, character references and the five predefined entities. It has no
 * DTD support at all, so no document can make it read a file, open a socket or expand an entity; and it
 * walks the text once, without the per-document set-up cost of a general StAX reader.
 */
final class StrictXmlParser {

    private final String text;
    private final int maxDepth;
    private int pos;
    private int depth;
    private Set<String> attributeNames;
    private List<XmlAttribute> attributeNamesOwner;

    private StrictXmlParser(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one document; line ends are normalized first, as XML requires. */
    static XmlElement parse(String xml, int maxDepth) {
        String normalized = xml.indexOf('\r') < 0 ? xml : xml.replace("\r\n", "\n").replace('\r', '\n');
        return new StrictXmlParser(normalized, maxDepth).document();
    }

    private XmlElement document() {
        if (text.startsWith("\uFEFF")) {
            pos = 1;
        }
        if (text.startsWith("<?xml", pos) && isSpaceOrQuestion(pos + 5)) {
            skipProcessingInstruction();
        }
        skipMisc();
        if (text.startsWith("<!DOCTYPE", pos)) {
            throw XmlErrors.malformed("DOCTYPE declarations are not allowed");
        }
        if (pos >= text.length() || text.charAt(pos) != '<') {
            throw error("document element expected");
        }
        XmlElement root = element();
        skipMisc();
        if (pos < text.length()) {
            throw error(text.startsWith("<!DOCTYPE", pos) ? "DOCTYPE declarations are not allowed"
                    : "extra content at the end of the document");
        }
        return root;
    }

    private boolean isSpaceOrQuestion(int at) {
        return at < text.length() && (isSpace(text.charAt(at)) || text.charAt(at) == '?');
    }

    /** Whitespace, comments and processing instructions around the document element. */
    private void skipMisc() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (text.startsWith("<!--", pos)) {
                skipComment();
            } else if (text.startsWith("<?", pos)) {
                skipProcessingInstruction();
            } else {
                return;
            }
        }
    }

    private XmlElement element() {
        if (++depth > maxDepth) {
            throw XmlErrors.malformed("XML document nests deeper than " + maxDepth + " elements");
        }
        pos++; // '<'
        String name = name();
        List<XmlAttribute> attributes = new ArrayList<>(4);
        while (true) {
            boolean spaced = skipSpaces();
            if (pos >= text.length()) {
                throw error("unterminated start tag <" + name);
            }
            char c = text.charAt(pos);
            if (c == '/') {
                expect("/>");
                depth--;
                return new XmlElement(name, attributes, List.of());
            }
            if (c == '>') {
                pos++;
                break;
            }
            if (!spaced) {
                throw error("attributes must be separated by whitespace in <" + name);
            }
            attribute(name, attributes);
        }
        List<XmlNode> content = content(name);
        depth--;
        return new XmlElement(name, attributes, content);
    }

    private void attribute(String elementName, List<XmlAttribute> attributes) {
        String name = name();
        skipSpaces();
        expect("=");
        skipSpaces();
        if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\'')) {
            throw error("attribute " + name + " of <" + elementName + "> needs a quoted value");
        }
        char quote = text.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated value of attribute " + name);
            }
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            } else if (c == '<') {
                throw error("'<' is not allowed in attribute values");
            } else if (c == '&') {
                reference(value);
            } else {
                checkChar(c);
                // attribute-value normalization: literal whitespace becomes a space
                value.append(c == '\t' || c == '\n' ? ' ' : c);
                pos++;
            }
        }
        if (isDuplicate(attributes, name)) {
            throw error("attribute " + name + " redefined in <" + elementName + ">");
        }
        attributes.add(new XmlAttribute(name, value.toString()));
    }

    /**
     * Real elements have a handful of attributes, so a scan is cheapest; a hostile element with thousands
     * would make repeated scans quadratic, so past a few the check switches to a hash set.
     */
    private boolean isDuplicate(List<XmlAttribute> attributes, String name) {
        if (attributes.size() < 16) {
            for (XmlAttribute existing : attributes) {
                if (existing.name().equals(name)) {
                    return true;
                }
            }
            return false;
        }
        if (attributeNames == null || attributeNamesOwner != attributes) {
            attributeNames = new HashSet<>();
            attributeNamesOwner = attributes;
            for (XmlAttribute existing : attributes) {
                attributeNames.add(existing.name());
            }
        }
        return !attributeNames.add(name);
    }

    private List<XmlNode> content(String elementName) {
        List<XmlNode> content = new ArrayList<>(4);
        StringBuilder pending = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("premature end of data in <" + elementName + ">");
            }
            char c = text.charAt(pos);
            if (c == '<') {
                if (text.startsWith("</", pos)) {
                    pos += 2;
                    String closing = name();
                    if (!closing.equals(elementName)) {
                        throw error("opening and ending tag mismatch: " + elementName + " and " + closing);
                    }
                    skipSpaces();
                    expect(">");
                    flush(pending, content);
                    return content;
                } else if (text.startsWith("<!--", pos)) {
                    skipComment();
                } else if (text.startsWith("<![CDATA[", pos)) {
                    cdata(pending);
                } else if (text.startsWith("<?", pos)) {
                    skipProcessingInstruction();
                } else if (text.startsWith("<!", pos)) {
                    throw error("markup declarations are not allowed in content");
                } else {
                    flush(pending, content);
                    content.add(element());
                }
            } else if (c == '&') {
                reference(pending);
            } else {
                if (c == '>' && pos >= 2 && text.startsWith("]]>", pos - 2)) {
                    throw error("']]>' is not allowed in text");
                }
                checkChar(c);
                pending.append(c);
                pos++;
            }
        }
    }

    private static void flush(StringBuilder pending, List<XmlNode> content) {
        if (pending.length() > 0) {
            content.add(new XmlText(pending.toString()));
            pending.setLength(0);
        }
    }

    private void cdata(StringBuilder pending) {
        int start = pos + "<![CDATA[".length();
        int end = text.indexOf("]]>", start);
        if (end < 0) {
            throw error("unterminated CDATA section");
        }
        for (int i = start; i < end; i++) {
            checkCharAt(i);
        }
        pending.append(text, start, end);
        pos = end + 3;
    }

    /** A character or predefined entity reference; anything else could only come from a DTD we refuse. */
    private void reference(StringBuilder out) {
        // The longest legal reference is &#x10FFFF; so the search never runs far.
        int end = -1;
        for (int i = pos + 1; i < Math.min(text.length(), pos + 12); i++) {
            if (text.charAt(i) == ';') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw error("malformed entity reference");
        }
        String ref = text.substring(pos + 1, end);
        switch (ref) {
            case "lt" -> out.append('<');
            case "gt" -> out.append('>');
            case "amp" -> out.append('&');
            case "apos" -> out.append('\'');
            case "quot" -> out.append('"');
            default -> out.appendCodePoint(characterReference(ref));
        }
        pos = end + 1;
    }

    private int characterReference(String ref) {
        if (!ref.startsWith("#")) {
            throw XmlErrors.malformed("entity references are not allowed: &" + ref + "; (at " + where() + ")");
        }
        boolean hex = ref.startsWith("#x");
        String digits = ref.substring(hex ? 2 : 1);
        long codePoint = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = asciiDigit(digits.charAt(i), hex ? 16 : 10);
            if (digit < 0) {
                throw error("malformed character reference &" + ref + ";");
            }
            codePoint = codePoint * (hex ? 16 : 10) + digit;
        }
        if (digits.isEmpty() || codePoint > 0x10FFFF || !isXmlChar((int) codePoint)) {
            throw error("invalid character reference &" + ref + ";");
        }
        return (int) codePoint;
    }

    /** Only ASCII digits count: Java's own parsers would also take other scripts' digits. */
    private static int asciiDigit(char c, int radix) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (radix == 16 && c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (radix == 16 && c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private void skipComment() {
        int end = text.indexOf("--", pos + 4);
        if (end < 0 || !text.startsWith("-->", end)) {
            throw error("malformed comment");
        }
        for (int i = pos + 4; i < end; i++) {
            checkCharAt(i);
        }
        pos = end + 3;
    }

    private void skipProcessingInstruction() {
        pos += 2;
        String target = name();
        if (target.equalsIgnoreCase("xml") && pos - target.length() - 2 != (text.startsWith("\uFEFF") ? 1 : 0)) {
            throw error("XML declaration allowed only at the start of the document");
        }
        int end = text.indexOf("?>", pos);
        if (end < 0) {
            throw error("unterminated processing instruction");
        }
        for (int i = pos; i < end; i++) {
            checkCharAt(i);
        }
        pos = end + 2;
    }

    private String name() {
        int start = pos;
        if (pos >= text.length() || !isNameStart(text.charAt(pos))) {
            throw error("name expected");
        }
        pos++;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean skipSpaces() {
        int start = pos;
        while (pos < text.length() && isSpace(text.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    private void expect(String literal) {
        if (!text.startsWith(literal, pos)) {
            throw error("'" + literal + "' expected");
        }
        pos += literal.length();
    }

    private void checkCharAt(int at) {
        char c = text.charAt(at);
        if (c < 0x20 && c != '\t' && c != '\n' || c >= 0xFFFE) {
            throw error("invalid character U+" + Integer.toHexString(c));
        }
    }

    private void checkChar(char c) {
        // Surrogates are let through in pairs by Java strings; lone or broken ones are rejected by the
        // encoders on output, and no libvirt value needs them.
        if (c < 0x20 && c != '\t' && c != '\n' || c >= 0xFFFE) {
            throw error("invalid character U+" + Integer.toHexString(c));
        }
    }

    private static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                || (c >= 0xC0 && c != 0xD7 && c != 0xF7 && c < 0xFFFE && !(c >= 0x300 && c <= 0x36F)
                && c != 0x37E && !(c >= 0x2000 && c <= 0x200B) && !(c >= 0xD800 && c <= 0xDFFF));
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 0xB7
                || (c >= 0x300 && c <= 0x36F) || c == 0x203F || c == 0x2040;
    }

    private CairnException error(String message) {
        return XmlErrors.malformed("malformed XML document: " + message + " (at " + where() + ")");
    }

    /** line:column of the current position, computed only when reporting an error. */
    private String where() {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}
