package io.cairn.events.command;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Names what a command does not define, so a typo ({@code flag} for {@code flags}) is refused instead of ignored:
 * ignored, it would silently change what the command does (a METADATA_ONLY delete would delete the bitmaps too).
 */
public final class UnknownFields {
    private UnknownFields() {
    }

    /**
     * Refuses every name outside {@code known}, e.g. a REST request's query parameters.
     *
     * @param what what the names are, for the message ("query parameter")
     * @throws CairnException VIR_ERR_INVALID_ARG naming the first unknown one
     */
    public static void requireKnown(String what, Collection<String> names, Collection<String> known) {
        for (String name : names) {
            if (!known.contains(name)) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "unknown " + what + " '"
                        + Identifiers.shown(name) + "' (" + (known.isEmpty() ? "there are none"
                        : "known: " + String.join(", ", known.stream().sorted().toList())) + ")");
            }
        }
    }

    /** A JSON property Jackson found no place for, by its path: {@code checkpoint.disks[0].bitmapp}. */
    static String message(String where, UnrecognizedPropertyException unknown) {
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                : unknown.getKnownPropertyIds().stream().map(Objects::toString).sorted().toList();
        return "unknown field '" + Identifiers.shown(path(unknown)) + "' in " + where
                + (known.isEmpty() ? "" : " (known there: " + String.join(", ", known) + ")");
    }

    private static String path(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : failure.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
