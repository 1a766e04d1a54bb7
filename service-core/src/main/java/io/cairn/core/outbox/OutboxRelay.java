package io.cairn.core.outbox;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.cairn.core.command.OutcomeWaits;
import io.cairn.core.failure.Failures;
import io.cairn.core.trace.TraceHeaders;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.cairn.events.event.CairnEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import io.cairn.events.json.CairnJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import io.cairn.core.config.OutboxConfig;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox events to Kafka in commit order, then marks them published. Only one relay works at a
 * time across all replicas (a PostgreSQL advisory lock), which keeps each domain's events in order. A crash after
 * the send and before the mark republishes the batch: at least once, deduplicated by eventId downstream.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopping;

    @Inject
    OutboxRepository repository;

    @Inject
    Vertx vertx;

    @Inject
    OutboxDestination destination;

    @Inject
    OutcomeWaits waits;

    private final Counter parked;

    OutboxRelay(MeterRegistry registry) {
        this.parked = Counter.builder("cairn.outbox.parked").description("outbox events Kafka refused for good, "
                + "parked with their reason (outbox_event.park_reason)").register(registry);
    }

    @Inject
    OutboxConfig config;

    /**
     * From shutdown on, no new pass starts: the database pool is about to close, and the scheduler would otherwise
     * report "Pool closed" every tick until the end. Whatever is left waits in the table for the next start.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Asks for a relay pass now (after a commit), instead of waiting for the next tick. */
    public void kick() {
        // A context of its own: the caller's context may carry its own reactive session, which a reactive session
        // must never share with concurrent work.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // Hibernate Reactive Panache only runs on a context flagged safe (isolated): this one is new and ours alone.
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> relayUntilEmpty().subscribe().with(count -> { },
                failure -> LOG.warnf("outbox relay: %s", failure.getMessage())));
    }

    /**
     * Recovery path: publishes what a crash left behind and what a missed kick left waiting. The first run waits so
     * that the messaging channels exist before the emitter is first injected.
     */
    @Scheduled(every = "${cairn.outbox.poll-interval:1s}", delayed = "${cairn.outbox.first-delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return relayUntilEmpty().onFailure().recoverWithItem(failure -> {
            LOG.warnf("outbox relay: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Relays batches until none is left; a call during a pass makes that pass look once more. */
    public Uni<Integer> relayUntilEmpty() {
        if (!config.relayEnabled() || stopping) {
            return Uni.createFrom().item(0);
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().item(0);
        }
        return loop(0).eventually(() -> running.set(false));
    }

    private Uni<Integer> loop(int soFar) {
        again.set(false);
        return relayBatch().flatMap(sent -> sent == BATCH || again.get()
                ? loop(soFar + sent) : Uni.createFrom().item(soFar + sent));
    }

    private Uni<Integer> relayBatch() {
        return Panache.withTransaction(() -> tryLock().flatMap(locked -> {
            if (!locked) {
                return Uni.createFrom().item(0);
            }
            return repository.pending(BATCH).invoke(this::signalOutcomes)
                    .flatMap(rows -> publishInOrder(rows).replaceWith(rows.size()));
        }));
    }

    private Uni<Boolean> tryLock() {
        // Transaction-scoped: released by the commit, even if this replica dies mid-batch.
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select pg_try_advisory_xact_lock(" + destination.advisoryLockKey() + ")",
                        Boolean.class)
                .getSingleResult());
    }

    /**
     * The rows read are committed, and with them any command outcome they carry (an outcome is recorded in the
     * transaction that adds its event here): requests waiting for one of those outcomes on this replica read it now.
     */
    private void signalOutcomes(List<OutboxEvent> rows) {
        if (!waits.anyWaiting()) {
            return;
        }
        for (OutboxEvent row : rows) {
            try {
                String commandId = CairnJson.mapper().readTree(row.payload).path("commandId").textValue();
                if (commandId != null) {
                    waits.signal(commandId);
                }
            } catch (JacksonException e) {
                // An unreadable row is parked when it is sent; it answers no one's wait.
            }
        }
    }

    /**
     * Sends the batch in order and marks each row published. A row Kafka refuses for good (too large, unreadable
     * headers) is parked with its reason instead, so one poison event never holds up the others; a broker that is
     * away fails the batch, which the next pass sends again.
     */
    private Uni<Void> publishInOrder(List<OutboxEvent> rows) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(row -> send(row)
                        .invoke(() -> row.publishedAt = now)
                        .onFailure(OutboxRelay::refusedForGood).recoverWithItem(failure -> {
                            park(row, failure, now);
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }

    private void park(OutboxEvent row, Throwable failure, OffsetDateTime now) {
        Throwable cause = Failures.causeOf(failure, ApiException.class);
        Throwable named = cause != null ? cause : failure;
        String reason = named.getClass().getSimpleName() + ": " + named.getMessage();
        row.parkedAt = now;
        row.parkReason = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        parked.increment();
        LOG.errorf("outbox event %s (%s of %s, %d bytes) cannot be published and is parked: %s", row.eventId,
                row.eventType, row.recordKey, row.payload.length(), reason);
    }

    /** Kafka's non-retriable refusals and unreadable rows: sending them again can never succeed. */
    static boolean refusedForGood(Throwable failure) {
        return Failures.anyCause(failure, cause -> cause instanceof JacksonException
                || (cause instanceof ApiException && !(cause instanceof RetriableException)));
    }

    /** Publishes an event straight to Kafka, outside any transaction: the last answer when the database is away. */
    public Uni<Void> publishNow(CairnEvent event) {
        return send(EventOutbox.toRow(event, destination));
    }

    private Uni<Void> send(OutboxEvent row) {
        Map<String, String> values;
        try {
            values = CairnJson.mapper().readValue(row.headers, new TypeReference<>() {
            });
        } catch (java.io.IOException e) {
            return Uni.createFrom().failure(e);
        }
        return destination.emitter().sendMessage(message(row, values));
    }

    /**
     * The record for a row: its stored headers as Kafka headers, except the stored trace context. That one becomes
     * the parent of the connector's publish span, which writes its own traceparent (same trace id, the publish span
     * as parent of whatever consumes the event): one traceparent per record, in the command's trace, instead of a
     * new trace for the relay's pass. (The outbox channels keep the connector's tracing on, its default.)
     */
    static Message<String> message(OutboxEvent row, Map<String, String> storedHeaders) {
        Optional<io.opentelemetry.context.Context> trace = TraceHeaders.extract(storedHeaders);
        RecordHeaders headers = new RecordHeaders();
        storedHeaders.forEach((name, value) -> {
            if (trace.isEmpty() || !TraceHeaders.isTraceHeader(name)) {
                headers.add(name, value.getBytes(StandardCharsets.UTF_8));
            }
        });
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic).withKey(row.recordKey).withHeaders(headers).build();
        Message<String> message = Message.of(row.payload).addMetadata(metadata);
        return trace.map(context -> message.addMetadata(TracingMetadata.withCurrent(context))).orElse(message);
    }
}
