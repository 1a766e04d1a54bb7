package io.cairn.cli.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Following a command answered 202, on a simulated clock: a service that long-polls is asked again at once, never
 * with a pause; an older one that answers "none" at once gets a bounded backoff; 15 minutes end it either way.
 */
class CommandOutcomeTest {
    private static final JsonNode OUTCOME = CairnApi.JSON.createObjectNode().put("type", "checkpoint-created");

    /** A clock that moves only when the simulated service waits or the client pauses. */
    private static final class Clock {
        long nanos;
        final List<Duration> waitsAsked = new ArrayList<>();
        final List<Duration> pauses = new ArrayList<>();

        void pause(Duration duration) {
            pauses.add(duration);
            nanos += duration.toNanos();
        }
    }

    @Test
    void aServiceThatWaitsIsAskedAgainWithoutPausingUntilTheOutcome() {
        Clock clock = new Clock();
        long outcomeAt = Duration.ofSeconds(50).toNanos();
        JsonNode found = CommandOutcome.follow(wait -> {
            clock.waitsAsked.add(wait);
            if (clock.nanos + wait.toNanos() >= outcomeAt) {
                clock.nanos = outcomeAt;
                return OUTCOME;
            }
            clock.nanos += wait.toNanos();
            return null;
        }, "cli-1", () -> clock.nanos, clock::pause);

        assertThat(found).isSameAs(OUTCOME);
        assertThat(clock.waitsAsked).containsExactly(CommandOutcome.WAIT, CommandOutcome.WAIT, CommandOutcome.WAIT);
        assertThat(clock.pauses).isEmpty();
    }

    @Test
    void anOlderServiceAnsweringAtOnceGetsABoundedBackoff() {
        Clock clock = new Clock();
        int[] asked = {0};
        JsonNode found = CommandOutcome.follow(wait -> ++asked[0] == 8 ? OUTCOME : null, "cli-2",
                () -> clock.nanos, clock::pause);

        assertThat(found).isSameAs(OUTCOME);
        assertThat(clock.pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    @Test
    void fifteenMinutesWithoutOutcomeIsATimeoutAndTheLastWaitEndsAtTheLimit() {
        Clock clock = new Clock();
        List<Duration> waits = new ArrayList<>();
        assertThatThrownBy(() -> CommandOutcome.follow(wait -> {
            waits.add(wait);
            clock.nanos += wait.toNanos();
            return null;
        }, "cli-3", () -> clock.nanos, clock::pause))
                .isInstanceOf(CliFailure.class).hasMessageContaining("no outcome after 15 minutes");

        assertThat(clock.nanos).isEqualTo(CommandOutcome.LIMIT.toNanos());
        assertThat(waits).hasSize(45).allMatch(wait -> wait.equals(CommandOutcome.WAIT));
        assertThat(clock.pauses).isEmpty();
    }
}
