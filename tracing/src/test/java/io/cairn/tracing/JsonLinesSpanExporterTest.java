package io.cairn.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSpanExporterTest {

    @TempDir
    Path dir;

    @Test
    void oneLinePerSpanWithItsTraceParentServiceTimesAndAttributes() throws IOException {
        Path file = dir.resolve("nested/traces.jsonl");
        JsonLinesSpanExporter exporter = new JsonLinesSpanExporter(Optional.of(file.toString()));
        try (SdkTracerProvider provider = provider(exporter)) {
            Tracer tracer = provider.get("test");
            Span parent = tracer.spanBuilder("checkpoint.create").setSpanKind(SpanKind.CONSUMER).startSpan();
            Span child = tracer.spanBuilder("qmp transaction").setParent(Context.root().with(parent))
                    .setSpanKind(SpanKind.CLIENT).setAttribute("qmp.command", "transaction")
                    .setAttribute(AttributeKey.longKey("n"), 3L).setAttribute("quote", "a \"b\"\n").startSpan();
            child.end();
            parent.end();

            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            Map<String, String> qmp = fields(lines.get(0));
            Map<String, String> command = fields(lines.get(1));
            assertThat(qmp).containsEntry("name", "qmp transaction").containsEntry("kind", "CLIENT")
                    .containsEntry("service", "host-agent").containsEntry("traceId", parent.getSpanContext().getTraceId())
                    .containsEntry("parentSpanId", parent.getSpanContext().getSpanId())
                    .containsEntry("spanId", child.getSpanContext().getSpanId())
                    .containsEntry("attributes.qmp.command", "transaction").containsEntry("attributes.n", "3")
                    .containsEntry("attributes.quote", "a \"b\"\n").containsEntry("status", "UNSET")
                    .containsKeys("start", "end", "durationMicros");
            assertThat(command).containsEntry("parentSpanId", null).containsEntry("name", "checkpoint.create");
            assertThat(command.get("start")).endsWith("Z").isLessThanOrEqualTo(qmp.get("start"));
        }
    }

    @Test
    void withoutAFileNothingIsWritten() {
        JsonLinesSpanExporter exporter = new JsonLinesSpanExporter(Optional.of(" "));
        assertThat(exporter.file()).isEmpty();
        try (SdkTracerProvider provider = provider(exporter)) {
            provider.get("test").spanBuilder("x").startSpan().end();
        }
        assertThat(dir.toFile().list()).isEmpty();
    }

    private static SdkTracerProvider provider(JsonLinesSpanExporter exporter) {
        return SdkTracerProvider.builder().setSampler(new CairnSampler())
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "host-agent")))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    /** The line's fields, attributes flattened as {@code attributes.<key>}; every value as its text. */
    private static Map<String, String> fields(String line) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            String prefix = "";
            String name = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME) {
                    name = parser.currentName();
                } else if (token == JsonToken.START_OBJECT && name != null) {
                    prefix = name + ".";
                } else if (token.isScalarValue()) {
                    fields.put(prefix + name, token == JsonToken.VALUE_NULL ? null : parser.getText());
                }
            }
        }
        return fields;
    }
}
