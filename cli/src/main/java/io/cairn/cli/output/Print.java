package io.cairn.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.rest.CairnApi;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Small printing helpers the verbs share: JSON for scripts, lines for people, virsh's time format. */
public final class Print {
    private static final DateTimeFormatter VIRSH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z")
            .withZone(ZoneId.systemDefault());

    private Print() {
    }

    public static void json(PrintStream out, JsonNode node) {
        try {
            out.println(CairnApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void lines(PrintStream out, List<String> lines) {
        lines.forEach(out::println);
    }

    /** Unix seconds (a checkpoint's creationTime) as virsh prints it. */
    public static String unixTime(JsonNode seconds) {
        return seconds.isNumber() ? VIRSH_TIME.format(Instant.ofEpochSecond(seconds.asLong())) : "-";
    }

    /** An ISO instant (a job's times) as virsh prints times; "-" when absent. */
    public static String instant(JsonNode iso) {
        if (iso.isMissingNode() || iso.isNull()) {
            return "-";
        }
        if (iso.isNumber()) {
            // Jackson's default for an Instant is seconds with a fraction.
            return VIRSH_TIME.format(Instant.ofEpochMilli((long) (iso.asDouble() * 1000)));
        }
        return VIRSH_TIME.format(Instant.parse(iso.asText()));
    }
}
