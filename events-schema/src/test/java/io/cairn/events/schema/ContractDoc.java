package io.cairn.events.schema;

import io.cairn.events.command.CommandLimits;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.topic.TopicCatalogue;
import io.cairn.events.topic.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README sections that are rendered from the sources they describe (topic catalogue, error codes, schemas,
 * command limits, example files), between {@code <!-- generated:KEY -->} and {@code <!-- /generated:KEY -->} markers.
 */
final class ContractDoc {
    static final String TOPICS = "topics";
    static final String ERRORS = "errors";
    static final String SCHEMAS = "schemas";
    static final String LIMITS = "limits";
    static final String EXAMPLE_PREFIX = "example ";

    private static final Pattern SECTION = Pattern.compile(
            "(<!-- generated:([^>]+?) -->\\n)(.*?)(<!-- /generated:\\2 -->)", Pattern.DOTALL);

    private ContractDoc() {
    }

    /** Each section's key and current body, in document order. */
    static List<Map.Entry<String, String>> sections(String readme) {
        List<Map.Entry<String, String>> sections = new ArrayList<>();
        Matcher matcher = SECTION.matcher(readme);
        while (matcher.find()) {
            sections.add(Map.entry(matcher.group(2), matcher.group(3)));
        }
        return sections;
    }

    /** The README with every section's body replaced by what its source renders today. */
    static String regenerate(String readme) {
        return SECTION.matcher(readme).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + render(m.group(2)) + m.group(4)));
    }

    static String render(String key) {
        if (key.equals(TOPICS)) {
            return topics();
        }
        if (key.equals(ERRORS)) {
            return errors();
        }
        if (key.equals(SCHEMAS)) {
            return schemas();
        }
        if (key.equals(LIMITS)) {
            return limits();
        }
        if (key.startsWith(EXAMPLE_PREFIX)) {
            return "```json\n" + Examples.text(key.substring(EXAMPLE_PREFIX.length())).strip() + "\n```\n";
        }
        throw new IllegalArgumentException("unknown generated section '" + key + "'");
    }

    private static String topics() {
        StringBuilder out = new StringBuilder()
                .append("| Topic | Visibility | Key | Partitions | Cleanup | Retention | Producers | Consumers | Carries |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (TopicSpec topic : TopicCatalogue.get().topics()) {
            out.append("| `").append(topic.name()).append("` | ").append(topic.visibility().wire())
                    .append(" | ").append(topic.key())
                    .append(" | ").append(topic.partitions())
                    .append(" | ").append(topic.cleanupPolicy())
                    .append(" | ").append(topic.retentionMs().isPresent() ? days(topic.retentionMs().getAsLong()) : "—")
                    .append(" | ").append(String.join(", ", topic.producers()))
                    .append(" | ").append(String.join(", ", topic.consumers()))
                    .append(" | ").append(topic.types().isEmpty() ? "internal records"
                            : String.join(", ", topic.types().stream().map(t -> "`" + t + "`").toList()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String days(long millis) {
        long days = millis / 86_400_000L;
        return millis % 86_400_000L == 0 ? days + (days == 1 ? " day" : " days") : millis + " ms";
    }

    private static String errors() {
        StringBuilder out = new StringBuilder("| `code` | `number` | HTTP status (REST) |\n|---|---|---|\n");
        for (VirErrorCode code : VirErrorCode.values()) {
            out.append("| `").append(code.name()).append("` | ").append(code.number())
                    .append(" | ").append(code.httpStatus()).append(" |\n");
        }
        return out.toString();
    }

    private static String limits() {
        StringBuilder out = new StringBuilder("| Field | Limit (UTF-8 bytes) | Why this much |\n|---|---|---|\n");
        for (CommandLimits.Limit limit : CommandLimits.all()) {
            out.append("| ").append(String.join(", ", limit.fields().stream().map(f -> "`" + f + "`").toList()))
                    .append(" | ").append(limit.maxBytes()).append(" (").append(limit.maxBytes() / 1024)
                    .append(" KiB) | ").append(limit.note()).append(" |\n");
        }
        return out.toString();
    }

    private static String schemas() {
        StringBuilder out = new StringBuilder("| Record | Schema (`$id` = `")
                .append(SchemaResources.BASE_URI).append("` + path) |\n|---|---|\n");
        for (String path : SchemaResources.all()) {
            String name = path.equals(SchemaResources.DEFINITIONS) ? "shared definitions"
                    : "`" + path.substring(path.indexOf('/') + 1, path.indexOf(".schema.json")) + "`";
            out.append("| ").append(name).append(" | [`").append(path).append("`](src/main/resources/")
                    .append(SchemaResources.RESOURCE_DIR).append(path).append(") |\n");
        }
        return out.toString();
    }
}
