package io.cairn.core.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;
import java.util.Optional;

/**
 * W3C trace context (traceparent, tracestate) kept as plain string headers, for what leaves the current context
 * and goes on later elsewhere: an outbox row is written in a command's transaction and published by the relay,
 * which has no context of the command. Always W3C, whatever propagators the service is configured with, since the
 * stored form must be readable by every replica and version.
 */
public final class TraceHeaders {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceHeaders() {
    }

    /** Adds the current trace context to {@code headers}, if a valid span context is current; else nothing. */
    public static void addCurrent(Map<String, String> headers) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(current, headers, Map::put);
        }
    }

    /** The trace context stored in {@code headers}, if they hold a valid traceparent. */
    public static Optional<Context> extract(Map<String, String> headers) {
        if (!headers.containsKey(TRACEPARENT)) {
            return Optional.empty();
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
        return Span.fromContext(context).getSpanContext().isValid() ? Optional.of(context) : Optional.empty();
    }

    public static boolean isTraceHeader(String name) {
        return TRACEPARENT.equals(name) || TRACESTATE.equals(name);
    }
}
