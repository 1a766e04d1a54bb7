package io.cairn.events.xml;

/** One attribute, kept in document order so verbatim sub-documents format as they were written. */
public record XmlAttribute(String name, String value) {
}
