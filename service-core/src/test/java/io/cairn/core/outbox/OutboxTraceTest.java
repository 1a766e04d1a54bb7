package io.cairn.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cairn.core.trace.TraceHeaders;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.json.CairnJson;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** An event keeps the trace of the command that produced it across the outbox: stored with the row, sent with it. */
class OutboxTraceTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final OutboxDestination DESTINATION = new OutboxDestination("cairn.checkpoint.events",
            "/cairn/checkpoint-service", 1L, null);

    @Test
    void theRowKeepsTheCurrentTraceAndTheRelayContinuesIt() throws Exception {
        OutboxEvent row;
        try (Scope ignored = commandSpan().makeCurrent()) {
            row = EventOutbox.toRow(event(), DESTINATION);
        }
        Map<String, String> stored = CairnJson.mapper().readValue(row.headers, new TypeReference<>() {
        });
        assertThat(stored).containsEntry(TraceHeaders.TRACEPARENT, "00-" + TRACE_ID + "-" + SPAN_ID + "-01")
                .containsKey("ce_id");

        Message<String> message = OutboxRelay.message(row, stored);
        SpanContext parent = Span.fromContext(message.getMetadata(TracingMetadata.class).orElseThrow()
                .getCurrentContext()).getSpanContext();
        assertThat(parent.getTraceId()).as("the connector's publish span is a child of the command's").isEqualTo(TRACE_ID);
        assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(headerNames(message)).as("the connector writes the one traceparent, of its publish span")
                .doesNotContain(TraceHeaders.TRACEPARENT).contains("ce_id", "ce_type");
    }

    @Test
    void withoutATraceNothingIsStoredAndTheRecordIsAsBefore() throws Exception {
        OutboxEvent row = EventOutbox.toRow(event(), DESTINATION);
        Map<String, String> stored = CairnJson.mapper().readValue(row.headers, new TypeReference<>() {
        });
        assertThat(stored).doesNotContainKey(TraceHeaders.TRACEPARENT);
        Message<String> message = OutboxRelay.message(row, stored);
        assertThat(message.getMetadata(TracingMetadata.class)).isEmpty();
        assertThat(headerNames(message)).containsExactlyInAnyOrderElementsOf(stored.keySet());
    }

    @Test
    void anUnreadableStoredTraceIsSentAsItWas() {
        OutboxEvent row = new OutboxEvent();
        row.topic = DESTINATION.topic();
        row.recordKey = "vm";
        row.payload = "{}";
        Message<String> message = OutboxRelay.message(row, Map.of(TraceHeaders.TRACEPARENT, "garbage"));
        assertThat(message.getMetadata(TracingMetadata.class)).isEmpty();
        assertThat(headerNames(message)).containsExactly(TraceHeaders.TRACEPARENT);
    }

    private static Context commandSpan() {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID,
                TraceFlags.getSampled(), TraceState.getDefault())));
    }

    private static CommandRejectedEvent event() {
        return new CommandRejectedEvent(UUID.randomUUID().toString(), Instant.now(), "vm", "cmd-1",
                "checkpoint.create", new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "x").toErrorInfo());
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> headerNames(Message<String> message) {
        OutgoingKafkaRecordMetadata<String> metadata = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                .orElseThrow();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Header header : metadata.getHeaders()) {
            names.add(header.key());
            assertThat(new String(header.value(), StandardCharsets.UTF_8)).isNotNull();
        }
        return names;
    }
}
