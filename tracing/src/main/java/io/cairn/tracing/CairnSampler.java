package io.cairn.tracing;

import io.cairn.events.topic.AgentTopics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Parent-based, always on: a span whose parent is sampled is sampled, and so is every new trace a request, a
 * command or a message starts. Background work starts no trace: a client call with no parent (the outbox relay's
 * and the sweepers' database queries every second, the agent's periodic QMP inventory reads) and the periodic
 * host inventory on each host's inventory topic (a record every 30 s per host, read by every replica) would otherwise fill
 * the span file with a trace per tick. The same calls and inventories made for a command are children of its span
 * and are kept. Quarkus picks this bean instead of {@code quarkus.otel.traces.sampler}, and still drops its own /q
 * endpoints.
 */
@Singleton
@Unremovable // found by type at runtime (Quarkus' "cdi" exporter, its sampler list), not injected
public class CairnSampler implements Sampler {
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    private static final Sampler ROOT = new Sampler() {
        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                Attributes attributes, List<LinkData> parentLinks) {
            return background(spanKind, attributes) ? SamplingResult.drop() : SamplingResult.recordAndSample();
        }

        @Override
        public String getDescription() {
            return "AlwaysOnExceptBackgroundClientCalls";
        }
    };

    private final Sampler delegate = Sampler.parentBased(ROOT);

    static boolean background(SpanKind kind, Attributes attributes) {
        String destination = attributes.get(DESTINATION);
        return kind == SpanKind.CLIENT || (destination != null && AgentTopics.hostOfInventory(destination).isPresent());
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return delegate.getDescription();
    }
}
