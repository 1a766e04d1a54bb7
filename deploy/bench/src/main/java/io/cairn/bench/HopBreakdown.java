package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a path's time goes, hop by hop, from the spans the services and the agent write (CAIRN_TRACE_FILE): each
 * benchmark command carries a trace context of its own, so its spans are found by trace id. Along the messaging spans
 * (each publish and receive) a segment is either a Kafka hop (publish → the next receive) or time inside one process
 * (receive → its next publish, database and QMP calls included); the first segment starts at the benchmark's publish and
 * the last ends at its receipt of the outcome.
 */
final class HopBreakdown {
    /** One command's trace: the benchmark's own publish and receipt of the outcome (epoch microseconds). */
    record Traced(String traceId, long publishedMicros, long receivedMicros) {
    }

    /** A span as read from the file. */
    record Span(String traceId, String spanId, String parentSpanId, String service, String name, String kind,
            long startMicros, long durationMicros) {
        boolean messaging() {
            return "PRODUCER".equals(kind) || "CONSUMER".equals(kind);
        }

        String label() {
            String topic = name.replaceAll("^cairn\\.agent\\.[^.]+\\.", "cairn.agent.<host>.")
                    .replaceAll(" (publish|receive)$", "");
            return service + ("PRODUCER".equals(kind) ? " → " : " ← ") + topic;
        }
    }

    private final Path file;
    private final long fromOffset;

    private HopBreakdown(Path file, long fromOffset) {
        this.file = file;
        this.fromOffset = fromOffset;
    }

    /** Remembers where the span file ends now: only spans written after this are read. */
    static HopBreakdown from(Path file) {
        return new HopBreakdown(file, sizeOf(file)); // no file yet: read from its start when it appears
    }

    /**
     * The breakdown of the given commands' traces, cut at the first publish to {@code outcomeTopic} (later spans of the
     * same trace are other consumers' follow-up work). Waits for the batch span processors to write the spans (every
     * 5 s by default). Lines: segment, median, p90.
     */
    List<String> of(List<Traced> traced, String outcomeTopic, Duration wait) {
        Map<String, Traced> byTrace = traced.stream().collect(Collectors.toMap(Traced::traceId, Function.identity()));
        // The span processors append every few seconds: the file is read again only when it has grown, until every
        // command's outcome publish is in it (or the wait is over: a breakdown of what is there).
        AtomicReference<Map<String, List<Span>>> read = new AtomicReference<>(Map.of());
        AtomicLong readAtSize = new AtomicLong(-1);
        Waiting.within(() -> {
            long size = sizeOf(file);
            if (size != readAtSize.get()) {
                readAtSize.set(size);
                read.set(read(byTrace.keySet()));
            }
            return read.get().values().stream().filter(list -> list.stream().anyMatch(s ->
                    s.name().startsWith(outcomeTopic) && "PRODUCER".equals(s.kind()))).count() >= traced.size();
        }, wait);
        Map<String, List<Span>> spans = read.get();
        Map<List<String>, List<long[]>> byShape = new LinkedHashMap<>();
        Map<List<String>, List<Long>> qmpByShape = new HashMap<>();
        for (Map.Entry<String, List<Span>> entry : spans.entrySet()) {
            Traced command = byTrace.get(entry.getKey());
            List<Span> chain = chain(entry.getValue(), outcomeTopic);
            if (chain.isEmpty()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            List<Long> points = new ArrayList<>();
            labels.add("client → " + chain.get(0).label().replaceFirst(" [←→] .*", ""));
            points.add(command.publishedMicros());
            for (Span span : chain) {
                points.add(span.startMicros());
            }
            points.add(command.receivedMicros());
            for (int i = 0; i + 1 < chain.size(); i++) {
                Span a = chain.get(i);
                Span b = chain.get(i + 1);
                labels.add("PRODUCER".equals(a.kind()) && "CONSUMER".equals(b.kind())
                        ? "Kafka " + a.label().replaceFirst(".* → ", "") + " (" + a.service() + " → " + b.service() + ")"
                        : "in " + b.service() + " (" + a.label().replaceFirst(".* [←→] ", "") + " → "
                                + b.label().replaceFirst(".* [←→] ", "") + ")");
            }
            labels.add("Kafka " + chain.get(chain.size() - 1).label().replaceFirst(".* → ", "") + " → client");
            long[] gaps = new long[labels.size()];
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = points.get(i + 1) - points.get(i);
            }
            byShape.computeIfAbsent(labels, k -> new ArrayList<>()).add(gaps);
            qmpByShape.computeIfAbsent(labels, k -> new ArrayList<>()).add(qmpOnPath(entry.getValue(), chain));
        }
        if (byShape.isEmpty()) {
            return List.of("no spans found for these commands in " + file + " (is CAIRN_TRACE_FILE set for the services?)");
        }
        Map.Entry<List<String>, List<long[]>> common = byShape.entrySet().stream()
                .max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow();
        List<String> lines = new ArrayList<>();
        lines.add("%d of %d commands' traces have this shape (medians and p90 per segment, ms)"
                .formatted(common.getValue().size(), traced.size()));
        for (int i = 0; i < common.getKey().size(); i++) {
            Samples segment = new Samples();
            for (long[] gaps : common.getValue()) {
                segment.add(gaps[i] * 1000);
            }
            lines.add("  %-78s %7s %7s".formatted(common.getKey().get(i), Samples.millis(segment.medianMillis()),
                    Samples.millis(segment.quantileMillis(0.9))));
        }
        Samples qmp = new Samples();
        qmpByShape.get(common.getKey()).forEach(micros -> qmp.add(micros * 1000));
        lines.add("  %-78s %7s %7s".formatted("of which QMP calls in the agent (sum of qmp spans)", Samples.millis(qmp.medianMillis()),
                Samples.millis(qmp.quantileMillis(0.9))));
        return lines;
    }

    /**
     * The messaging spans on the critical path from the command's receipt to the outcome's publish, in order. The
     * backbone is the outcome publish's ancestry (each receive's parent is the publish that sent it), which leaves out
     * the answers every replica of every service reads and any other follow-up work of the trace. A service whose
     * outcome is written in the command's own context (the outbox keeps that context) hides the agent round trip it
     * waited for: where the backbone goes straight from a receive to a publish of the same service, the last agent
     * round trip that service made in between is put back in.
     */
    private static List<Span> chain(List<Span> spans, String outcomeTopic) {
        Map<String, Span> byId = new HashMap<>();
        spans.forEach(span -> byId.put(span.spanId(), span));
        Span outcome = spans.stream().filter(s -> s.name().startsWith(outcomeTopic) && "PRODUCER".equals(s.kind()))
                .min(Comparator.comparingLong(Span::startMicros)).orElse(null);
        List<Span> backbone = new ArrayList<>();
        for (Span span = outcome; span != null; span = parent(span, byId)) {
            if (span.messaging()) {
                backbone.add(0, span);
            }
        }
        if (backbone.isEmpty() || !"CONSUMER".equals(backbone.get(0).kind())) {
            return List.of();
        }
        List<Span> chain = new ArrayList<>();
        for (int i = 0; i < backbone.size(); i++) {
            Span span = backbone.get(i);
            chain.add(span);
            Span next = i + 1 < backbone.size() ? backbone.get(i + 1) : null;
            if (next != null && "CONSUMER".equals(span.kind()) && "PRODUCER".equals(next.kind())
                    && span.service().equals(next.service())) {
                chain.addAll(hiddenRoundTrip(spans, span, next, byId));
            }
        }
        return chain;
    }

    /** The last agent request {@code receive}'s service sent before {@code publish}, through to its answer's receipt. */
    private static List<Span> hiddenRoundTrip(List<Span> spans, Span receive, Span publish, Map<String, Span> byId) {
        Span request = spans.stream().filter(s -> "PRODUCER".equals(s.kind()) && s.service().equals(receive.service())
                        && s.name().startsWith("cairn.agent.") && s.name().contains(".commands ")
                        && s.startMicros() < publish.startMicros() && descends(s, receive, byId))
                .max(Comparator.comparingLong(Span::startMicros)).orElse(null);
        Span agent = request == null ? null : child(spans, request, null);
        Span answer = agent == null ? null : spans.stream().filter(s -> "PRODUCER".equals(s.kind())
                        && s.service().equals(agent.service()) && s.name().contains(".results ")
                        && descends(s, agent, byId))
                .min(Comparator.comparingLong(Span::startMicros)).orElse(null);
        Span received = answer == null ? null : child(spans, answer, receive.service());
        if (received == null || received.startMicros() > publish.startMicros()) {
            return List.of();
        }
        return List.of(request, agent, answer, received);
    }

    /** The receive of {@code publish} (in {@code service} when given: every service reads every answer). */
    private static Span child(List<Span> spans, Span publish, String service) {
        return spans.stream().filter(s -> "CONSUMER".equals(s.kind()) && publish.spanId().equals(s.parentSpanId())
                        && (service == null || s.service().equals(service)))
                .min(Comparator.comparingLong(Span::startMicros)).orElse(null);
    }

    /**
     * QMP time on the path: the agent's qmp spans that start while it handles a request of the chain (between its
     * receive and its answer); its inventory refresh, which runs beside the answer, is not on the path.
     */
    private static long qmpOnPath(List<Span> spans, List<Span> chain) {
        long sum = 0;
        for (int i = 0; i + 1 < chain.size(); i++) {
            Span receive = chain.get(i);
            Span answer = chain.get(i + 1);
            if ("CONSUMER".equals(receive.kind()) && "host-agent".equals(receive.service())) {
                for (Span span : spans) {
                    if (span.name().startsWith("qmp ") && "host-agent".equals(span.service())
                            && span.startMicros() >= receive.startMicros()
                            && span.startMicros() < answer.startMicros()) {
                        sum += span.durationMicros();
                    }
                }
            }
        }
        return sum;
    }

    private static Span parent(Span span, Map<String, Span> byId) {
        return span.parentSpanId() == null ? null : byId.get(span.parentSpanId());
    }

    private static boolean descends(Span span, Span ancestor, Map<String, Span> byId) {
        for (Span up = parent(span, byId); up != null; up = parent(up, byId)) {
            if (up == ancestor) {
                return true;
            }
        }
        return false;
    }

    private Map<String, List<Span>> read(Set<String> traceIds) {
        Map<String, List<Span>> spans = new HashMap<>();
        if (!Files.exists(file)) {
            return spans;
        }
        try (FileChannel channel = FileChannel.open(file);
                BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(
                        channel.position(Math.min(fromOffset, channel.size()))), StandardCharsets.UTF_8), 1 << 16)) {
            for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                int at = text.indexOf("\"traceId\":\"");
                if (at < 0 || !traceIds.contains(text.substring(at + 11, Math.min(text.length(), at + 43)))) {
                    continue;
                }
                JsonNode json;
                try {
                    json = CairnJson.mapper().readTree(text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException partial) {
                    continue; // a batch being appended right now: its spans are read on the next look
                }
                Instant start = Instant.parse(json.path("start").asText());
                spans.computeIfAbsent(json.path("traceId").asText(), k -> new ArrayList<>()).add(new Span(
                        json.path("traceId").asText(), json.path("spanId").asText(),
                        json.path("parentSpanId").asText(null), json.path("service").asText(), json.path("name").asText(),
                        json.path("kind").asText(), start.getEpochSecond() * 1_000_000 + start.getNano() / 1000,
                        json.path("durationMicros").asLong()));
            }
        } catch (IOException e) {
            throw new BenchFailure("cannot read spans from " + file + ": " + e.getMessage(), e);
        }
        return spans;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
