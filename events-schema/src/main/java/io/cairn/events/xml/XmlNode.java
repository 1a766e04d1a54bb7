package io.cairn.events.xml;

/** A node of the small immutable tree the secure reader builds: an element or a run of text. */
public sealed interface XmlNode permits XmlElement, XmlText {
}
