package io.cairn.agent.qmp;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * A span per QMP command ({@code qmp <command>}, attribute {@code qmp.command}), a child of whatever trace the caller
 * is in (the request being answered). {@link QmpClient} is plain Java, made outside CDI: the agent installs its
 * OpenTelemetry here at startup; until then, and in tests without Quarkus, spans are no-ops. Starting and ending a
 * span never blocks: spans are exported later by the SDK's batch processor on its own thread.
 */
public final class QmpTracing {
    private static final String SCOPE = "io.cairn.agent.qmp";
    private static volatile Tracer tracer = OpenTelemetry.noop().getTracer(SCOPE);

    private QmpTracing() {
    }

    public static void install(OpenTelemetry openTelemetry) {
        tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * Leaves the calling QMP thread with no trace. Context propagation restores a callback's trace on the thread it
     * runs on but does not take it away afterwards, so without this a reply or event thread would keep the last
     * request's trace, and lend it to unrelated work (a periodic inventory, a background job event) that runs there
     * next. Called before each reply and event is handled; callbacks that belong to a request get theirs back.
     */
    @SuppressWarnings("MustBeClosedChecker") // on purpose: the thread's context is replaced, not scoped
    static void forgetThreadContext() {
        Context.root().makeCurrent();
    }

    static Span start(Context parent, String command, String domain) {
        return tracer.spanBuilder("qmp " + command).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("qmp.command", command).setAttribute("cairn.domain", domain).startSpan();
    }

    static void end(Span span, Throwable failure, boolean cancelled) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            span.setAttribute("qmp.error", failure.getClass().getSimpleName());
        } else if (cancelled) {
            span.setAttribute("qmp.cancelled", true);
        }
        span.end();
    }
}
