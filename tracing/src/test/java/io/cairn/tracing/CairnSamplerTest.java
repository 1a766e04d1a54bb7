package io.cairn.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class CairnSamplerTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final CairnSampler sampler = new CairnSampler();

    @Test
    void everyTraceARequestCommandOrMessageStartsIsKept() {
        for (SpanKind kind : List.of(SpanKind.SERVER, SpanKind.CONSUMER, SpanKind.PRODUCER, SpanKind.INTERNAL)) {
            assertThat(decision(Context.root(), kind)).as(kind.name()).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        }
    }

    @Test
    void aClientCallStartingATraceIsBackgroundPollingAndDropped() {
        assertThat(decision(Context.root(), SpanKind.CLIENT)).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void thePeriodicHostInventoryStartsNoTraceButOneSentForACommandIsInItsTrace() {
        Attributes inventory = Attributes.of(AttributeKey.stringKey("messaging.destination.name"),
                "cairn.agent.node-1.inventory");
        assertThat(decision(Context.root(), SpanKind.PRODUCER, inventory)).isEqualTo(SamplingDecision.DROP);
        assertThat(decision(Context.root(), SpanKind.CONSUMER, inventory)).isEqualTo(SamplingDecision.DROP);
        assertThat(decision(parent(TraceFlags.getSampled()), SpanKind.PRODUCER, inventory))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        Attributes commands = Attributes.of(AttributeKey.stringKey("messaging.destination.name"),
                "cairn.checkpoint.commands");
        assertThat(decision(Context.root(), SpanKind.CONSUMER, commands)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void childrenFollowTheirParent() {
        assertThat(decision(parent(TraceFlags.getSampled()), SpanKind.CLIENT))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(parent(TraceFlags.getDefault()), SpanKind.SERVER)).isEqualTo(SamplingDecision.DROP);
    }

    private SamplingDecision decision(Context parent, SpanKind kind) {
        return decision(parent, kind, Attributes.empty());
    }

    private SamplingDecision decision(Context parent, SpanKind kind, Attributes attributes) {
        return sampler.shouldSample(parent, TRACE, "x", kind, attributes, List.of()).getDecision();
    }

    private static Context parent(TraceFlags flags) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE, "00f067aa0ba902b7", flags,
                TraceState.getDefault())));
    }
}
