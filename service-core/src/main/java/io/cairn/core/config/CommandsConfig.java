package io.cairn.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How commands are claimed, retried and remembered. */
@ConfigMapping(prefix = "cairn.commands")
public interface CommandsConfig {
    /**
     * How long a delivery's claim on a commandId keeps other deliveries of that id waiting; after it, a redelivery
     * takes the command over (the claimer died). Longer than any single agent round trip.
     */
    @WithDefault("2m")
    Duration claimLease();

    /** The first wait before a transient failure (outage, lost race, command in progress) is tried again. */
    @WithDefault("100ms")
    Duration retryFirst();

    /** The longest wait between two tries of a transient failure (the backoff doubles up to it). */
    @WithDefault("5s")
    Duration retryMax();

    /**
     * How long a command keeps being retried through transient failures; after it, the command is answered with a
     * command-rejected (VIR_ERR_OPERATION_FAILED) naming the failure, published directly, so it never stays
     * unanswered and its partition moves on.
     */
    @WithDefault("10m")
    Duration retryDeadline();

    /**
     * How long an answered command is remembered (its outcome republished for a duplicate); older records are
     * pruned. Senders must not repeat a commandId after this.
     */
    @WithDefault("168h")
    Duration retention();

    /** How long a published outbox event is kept (for inspection) before it is pruned. */
    @WithDefault("24h")
    Duration publishedEventRetention();

    /** How often answered commands and published events past their retention are pruned. */
    @WithDefault("1h")
    Duration pruneInterval();

    /** How long after start the first pruning waits. */
    @WithDefault("1m")
    Duration pruneFirstDelay();
}
