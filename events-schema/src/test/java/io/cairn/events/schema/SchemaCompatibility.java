package io.cairn.events.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract's compatibility rule as a check: between an old and a new version of the schemas, fields are only
 * ever added, and added fields are optional. Returns every violation, readable, so one run shows them all.
 */
final class SchemaCompatibility {
    private SchemaCompatibility() {
    }

    /** Both maps: schema file to its shapes by JSON pointer (see {@link SchemaShape#of}). */
    static List<String> violations(Map<String, Map<String, SchemaShape>> before,
            Map<String, Map<String, SchemaShape>> after) {
        List<String> violations = new ArrayList<>();
        before.forEach((file, oldShapes) -> {
            Map<String, SchemaShape> newShapes = after.get(file);
            if (newShapes == null) {
                violations.add(file + ": schema removed");
            } else {
                compareFile(file, oldShapes, newShapes, violations);
            }
        });
        return violations;
    }

    private static void compareFile(String file, Map<String, SchemaShape> before, Map<String, SchemaShape> after,
            List<String> violations) {
        before.forEach((pointer, old) -> {
            SchemaShape now = after.get(pointer);
            String where = file + "#" + pointer;
            if (now == null) {
                violations.add(where + ": removed");
                return;
            }
            if (!old.kind().equals(now.kind())) {
                violations.add(where + ": changed from '" + old.kind() + "' to '" + now.kind() + "'");
            }
            old.properties().forEach((name, kind) -> {
                String newKind = now.properties().get(name);
                if (newKind == null) {
                    violations.add(where + ": property '" + name + "' removed or renamed");
                } else if (!newKind.equals(kind)) {
                    violations.add(where + ": property '" + name + "' retyped from '" + kind + "' to '" + newKind + "'");
                }
            });
            Set<String> newlyRequired = new HashSet<>(now.required());
            old.required().forEach(newlyRequired::remove);
            newlyRequired.forEach(name -> violations.add(where + ": '" + name + "' became required"));
            Set<String> droppedValues = new HashSet<>(old.enumValues());
            now.enumValues().forEach(droppedValues::remove);
            droppedValues.forEach(value -> violations.add(where + ": enum value '" + value + "' removed"));
        });
        after.forEach((pointer, now) -> {
            if (!before.containsKey(pointer) && !now.required().isEmpty() && !isNewAlternative(pointer)
                    && !isInsideNewProperty(pointer, before)) {
                violations.add(file + "#" + pointer + ": new condition requires " + now.required());
            }
        });
    }

    /** A new oneOf/anyOf branch widens what is valid, so it may require what it likes. */
    private static boolean isNewAlternative(String pointer) {
        return pointer.matches(".*/(anyOf|oneOf)/\\d+");
    }

    /**
     * A new subschema may require things only when it describes a property or definition that is itself new
     * (an added optional object may have required fields); anywhere else it would newly require them of
     * records that used to be valid.
     */
    private static boolean isInsideNewProperty(String pointer, Map<String, SchemaShape> before) {
        String[] segments = pointer.split("/", -1);
        String parent = "";
        for (int i = 1; i + 1 < segments.length; i++) {
            String keyword = segments[i];
            String name = segments[i + 1];
            String child = parent + "/" + keyword + "/" + name;
            SchemaShape parentShape = before.get(parent);
            if (keyword.equals("properties") && parentShape != null && !parentShape.properties().containsKey(name)) {
                return true;
            }
            if (keyword.equals("$defs") && !before.containsKey(child)) {
                return true;
            }
            boolean named = keyword.equals("properties") || keyword.equals("$defs")
                    || keyword.equals("allOf") || keyword.equals("anyOf") || keyword.equals("oneOf");
            if (named) {
                parent = child;
                i++;
            } else {
                parent = parent + "/" + keyword;
            }
        }
        return false;
    }
}
