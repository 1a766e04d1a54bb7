package io.cairn.events.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of a schema the compatibility rule is about, per subschema (keyed by JSON pointer): its kind (type,
 * $ref or const), required names, property names with their kinds, and enum values.
 *
 * @param kind       {@code type} value, {@code $ref <target>}, {@code const <value>} or empty
 * @param required   sorted required property names
 * @param properties property name to that property's kind
 * @param enumValues sorted enum values
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record SchemaShape(String kind, List<String> required, SortedMap<String, String> properties, List<String> enumValues) {

    /** Keywords whose value is one subschema, or an object / array of subschemas, in draft 2020-12. */
    private static final List<String> SINGLE = List.of("items", "if", "then", "else", "not", "contains");
    private static final List<String> NAMED = List.of("properties", "$defs");
    private static final List<String> LISTED = List.of("allOf", "anyOf", "oneOf");

    /** Fields the snapshot file omits (being empty) read back as empty, not null. */
    SchemaShape {
        kind = kind == null ? "" : kind;
        required = required == null ? List.of() : List.copyOf(required);
        properties = properties == null ? new TreeMap<>() : properties;
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }

    /** Every subschema of a schema document by JSON pointer ({@code ""} is the root). */
    static SortedMap<String, SchemaShape> of(JsonNode schema) {
        SortedMap<String, SchemaShape> shapes = new TreeMap<>();
        walk(schema, "", shapes);
        return shapes;
    }

    private static void walk(JsonNode node, String pointer, SortedMap<String, SchemaShape> shapes) {
        if (!node.isObject()) {
            return;
        }
        shapes.put(pointer, shapeOf(node));
        for (String keyword : SINGLE) {
            if (node.has(keyword)) {
                walk(node.get(keyword), pointer + "/" + keyword, shapes);
            }
        }
        for (String keyword : NAMED) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path(keyword).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> child = it.next();
                walk(child.getValue(), pointer + "/" + keyword + "/" + child.getKey(), shapes);
            }
        }
        for (String keyword : LISTED) {
            for (int i = 0; i < node.path(keyword).size(); i++) {
                walk(node.get(keyword).get(i), pointer + "/" + keyword + "/" + i, shapes);
            }
        }
    }

    private static SchemaShape shapeOf(JsonNode node) {
        SortedMap<String, String> properties = new TreeMap<>();
        node.path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), kindOf(e.getValue())));
        return new SchemaShape(kindOf(node), sortedTexts(node.path("required")), properties,
                sortedTexts(node.path("enum")));
    }

    static String kindOf(JsonNode node) {
        if (node.has("type")) {
            return node.get("type").isTextual() ? node.get("type").asText() : node.get("type").toString();
        }
        if (node.has("$ref")) {
            return "$ref " + node.get("$ref").asText();
        }
        if (node.has("const")) {
            return "const " + node.get("const");
        }
        return "";
    }

    private static List<String> sortedTexts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        texts.sort(null);
        return texts;
    }
}
