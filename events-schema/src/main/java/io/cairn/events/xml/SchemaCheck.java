package io.cairn.events.xml;

import io.cairn.events.error.CairnException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The building blocks of the hand-written RNG validators: each check either passes or throws
 * VIR_ERR_XML_INVALID_SCHEMA naming the schema file, as libvirt's validator does.
 */
final class SchemaCheck {

    private final String schemaFile;

    SchemaCheck(String schemaFile) {
        this.schemaFile = schemaFile;
    }

    CairnException fail(String detail) {
        return XmlErrors.schema(schemaFile, detail);
    }

    void expectName(XmlElement element, String name) {
        if (!element.name().equals(name)) {
            throw fail("Expecting element " + name + ", got " + element.name());
        }
    }

    /** Every attribute must be one the schema declares for this element. */
    void onlyAttributes(XmlElement element, Set<String> allowed) {
        for (XmlAttribute attribute : element.attributes()) {
            if (!allowed.contains(attribute.name())) {
                throw fail("Invalid attribute " + attribute.name() + " for element " + element.name());
            }
        }
    }

    /** Element-only content: known child elements, no stray text. */
    void onlyChildren(XmlElement element, Set<String> allowed) {
        if (element.hasSignificantText()) {
            throw fail("Element " + element.name() + " has extra content: text");
        }
        for (XmlElement child : element.elements()) {
            if (!allowed.contains(child.name())) {
                throw fail("Element " + element.name() + " has extra content: " + child.name());
            }
        }
    }

    /** An RNG {@code empty} element: no attributes beyond those allowed, no children, no text. */
    void emptyElement(XmlElement element, Set<String> allowedAttributes) {
        onlyAttributes(element, allowedAttributes);
        onlyChildren(element, Set.of());
    }

    /** A {@code <text/>}-only element without attributes. */
    String textElement(XmlElement element) {
        onlyAttributes(element, Set.of());
        if (element.hasElementChildren()) {
            throw fail("Element " + element.name() + " has extra content: " + element.elements().get(0).name());
        }
        return element.textContent();
    }

    /** Interleaved optionals: each may appear at most once. */
    void atMostOnce(XmlElement parent, String childName) {
        int count = 0;
        for (XmlElement child : parent.elements()) {
            if (child.name().equals(childName) && ++count > 1) {
                throw fail("Extra element " + childName + " in interleave of " + parent.name());
            }
        }
    }

    String requiredAttribute(XmlElement element, String name) {
        String value = element.attribute(name);
        if (value == null) {
            throw fail("Element " + element.name() + " failed to validate attributes: missing " + name);
        }
        return value;
    }

    /** Checks an attribute's value when present; returns it (or null). */
    String optionalAttribute(XmlElement element, String name, Predicate<String> type, String typeName) {
        String value = element.attribute(name);
        if (value != null && !type.test(value)) {
            throw fail("Element " + element.name() + " failed to validate attributes: "
                    + name + "='" + value + "' is not a valid " + typeName);
        }
        return value;
    }

    String typedAttribute(XmlElement element, String name, Predicate<String> type, String typeName) {
        requiredAttribute(element, name);
        return optionalAttribute(element, name, type, typeName);
    }

    /** An attribute restricted to a fixed set of values. */
    String choiceAttribute(XmlElement element, String name, Set<String> values) {
        return optionalAttribute(element, name, values::contains, "value (expected one of " + values + ")");
    }

    void forbidAttributes(XmlElement element, String reason, String... names) {
        for (String name : names) {
            if (element.hasAttribute(name)) {
                throw fail("Element " + element.name() + " failed to validate attributes: "
                        + name + " is not allowed " + reason);
            }
        }
    }

    void forbidChildren(XmlElement element, String reason, String... names) {
        for (String name : names) {
            if (element.element(name) != null) {
                throw fail("Element " + element.name() + " has extra content: " + name + " (" + reason + ")");
            }
        }
    }
}
