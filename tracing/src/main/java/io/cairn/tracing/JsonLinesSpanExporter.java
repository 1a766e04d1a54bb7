package io.cairn.tracing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Inject;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes every finished span as one JSON line (traceId, spanId, parentSpanId, name, kind, service, start, end,
 * durationMicros, status, attributes) to {@code cairn.trace.file} ({@code CAIRN_TRACE_FILE}): a trace can be
 * followed locally with grep, no collector needed. Without a file, spans are still made (trace ids travel in
 * headers and log lines) but not kept. Quarkus hands this bean (its "cdi" exporter) to a batch span processor, so
 * the file is written on the processor's own thread, never on an event loop or a caller's thread. Several
 * processes may share one file: each batch is one append.
 */
@Singleton
@Unremovable // found by type at runtime (Quarkus' "cdi" exporter, its sampler list), not injected
public class JsonLinesSpanExporter implements SpanExporter {
    private static final Logger LOG = Logger.getLogger(JsonLinesSpanExporter.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final Optional<Path> file;
    private FileChannel channel;
    private boolean failedBefore;

    @Inject
    public JsonLinesSpanExporter(@ConfigProperty(name = "cairn.trace.file") Optional<String> file) {
        this.file = file.map(String::trim).filter(name -> !name.isEmpty()).map(Path::of);
        this.file.ifPresent(path -> LOG.infof("spans are written to %s", path.toAbsolutePath()));
    }

    /** Where spans go, if anywhere. */
    public Optional<Path> file() {
        return file;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
        if (file.isEmpty() || spans.isEmpty()) {
            return CompletableResultCode.ofSuccess();
        }
        try {
            byte[] lines = toJsonLines(spans);
            if (channel == null) {
                Path path = file.get().toAbsolutePath();
                Files.createDirectories(path.getParent());
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer buffer = ByteBuffer.wrap(lines);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            failedBefore = false;
            return CompletableResultCode.ofSuccess();
        } catch (IOException | RuntimeException e) {
            if (!failedBefore) { // once per outage, not once per batch
                LOG.warnf("spans not written to %s: %s", file.get(), e);
                failedBefore = true;
            }
            closeChannel();
            return CompletableResultCode.ofFailure();
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
        closeChannel();
        return CompletableResultCode.ofSuccess();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the next export opens it again
            }
            channel = null;
        }
    }

    /** The spans as JSON lines, each ending with a newline. */
    static byte[] toJsonLines(Collection<SpanData> spans) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * spans.size());
        for (SpanData span : spans) {
            write(span, out);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void write(SpanData span, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("traceId", span.getTraceId());
            json.writeStringField("spanId", span.getSpanId());
            String parent = span.getParentSpanContext().isValid() ? span.getParentSpanId() : null;
            json.writeStringField("parentSpanId", parent);
            json.writeStringField("name", span.getName());
            json.writeStringField("kind", span.getKind().name());
            json.writeStringField("service", span.getResource().getAttribute(SERVICE_NAME));
            json.writeStringField("start", instant(span.getStartEpochNanos()));
            json.writeStringField("end", instant(span.getEndEpochNanos()));
            json.writeNumberField("durationMicros", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1000);
            json.writeStringField("status", span.getStatus().getStatusCode().name());
            if (!span.getStatus().getDescription().isEmpty()) {
                json.writeStringField("statusDescription", span.getStatus().getDescription());
            }
            json.writeObjectFieldStart("attributes");
            writeAttributes(span.getAttributes(), json);
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static void writeAttributes(Attributes attributes, JsonGenerator json) {
        for (Map.Entry<AttributeKey<?>, Object> entry : attributes.asMap().entrySet()) {
            try {
                json.writeFieldName(entry.getKey().getKey());
                writeValue(entry.getValue(), json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void writeValue(Object value, JsonGenerator json) throws IOException {
        if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(item, json);
            }
            json.writeEndArray();
        } else {
            json.writeString(String.valueOf(value));
        }
    }

    private static String instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }
}
