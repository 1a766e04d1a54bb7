package io.cairn.core.outbox;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * What differs between the services' outboxes; each service produces the one it publishes to.
 *
 * @param topic the Kafka topic every event in the service's outbox is published to
 * @param source the CloudEvents source (ce_source) of the service's events
 * @param advisoryLockKey the PostgreSQL advisory lock that lets one relay work at a time across the service's
 *        replicas: a key of each service's own, in case services ever share a database
 * @param emitter the emitter of the outgoing channel configured for {@code topic}
 */
public record OutboxDestination(String topic, String source, long advisoryLockKey, MutinyEmitter<String> emitter) {
}
