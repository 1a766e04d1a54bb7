package io.cairn.cli.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import io.cairn.cli.ExitCodes;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits for a write's outcome as virsh waits for its call: a write answered within the service's bound carries its
 * outcome event; one answered 202 without it is followed at {@code GET /api/v1/commands/{id}?wait=PT20S}, which the
 * service answers as soon as the outcome exists, asked again until it has one (at most 15 minutes in all).
 */
public final class CommandOutcome {
    /** How long one request asks the service to wait (the service allows up to 60 s; proxies often cut at 30 s). */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LIMIT = Duration.ofMinutes(15);
    /** Backoff against a service older than {@code ?wait}, which answers 404 at once. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** One look at the outcome, asking the service to wait up to the given time: the outcome, or null. */
    interface Lookup {
        JsonNode outcome(Duration wait);
    }

    /** A pause, only between the looks of the fallback for older services. */
    interface Pause {
        void pause(Duration duration);
    }

    private CommandOutcome() {
    }

    /** The outcome event (a rejection has already been thrown as a {@link CliFailure}). */
    public static JsonNode await(CairnApi api, CairnApi.Service service, CairnApi.Answer answer, String commandId) {
        JsonNode body = answer.json();
        if (body.hasNonNull("type")) {
            return body;
        }
        return follow(wait -> api.commandOutcome(service, commandId, wait), commandId, System::nanoTime,
                CommandOutcome::sleep);
    }

    /**
     * Looks until the outcome comes or {@link #LIMIT} has passed. A service that waited answers either with the
     * outcome or after the wait, and is asked again at once; one that answered "none" in less than half the wait
     * does not know {@code ?wait} (older than it) and is asked again after a backoff doubling from 250 ms to 5 s.
     */
    static JsonNode follow(Lookup lookup, String commandId, LongSupplier nanoTime, Pause pause) {
        long deadline = nanoTime.getAsLong() + LIMIT.toNanos();
        Duration backoff = FIRST_BACKOFF;
        for (long left = LIMIT.toNanos(); left > 0; left = deadline - nanoTime.getAsLong()) {
            Duration wait = Duration.ofNanos(Math.min(left, WAIT.toNanos()));
            long asked = nanoTime.getAsLong();
            JsonNode outcome = lookup.outcome(wait);
            if (outcome != null) {
                return outcome;
            }
            if (nanoTime.getAsLong() - asked < wait.toNanos() / 2) {
                pause.pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } else {
                backoff = FIRST_BACKOFF;
            }
        }
        throw new CliFailure("VIR_ERR_OPERATION_TIMEOUT", 68, "command " + commandId + " has no outcome after "
                + LIMIT.toMinutes() + " minutes; follow it with GET /api/v1/commands/" + commandId,
                ExitCodes.CAIRN_ERROR);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unreachable("interrupted");
        }
    }
}
