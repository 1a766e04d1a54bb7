package io.cairn.events.xml;

/** A run of character data (text and CDATA merged), entity references already resolved. */
public record XmlText(String text) implements XmlNode {

    public boolean isBlank() {
        return text.isBlank();
    }
}
