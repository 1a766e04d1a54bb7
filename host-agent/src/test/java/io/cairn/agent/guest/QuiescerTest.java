package io.cairn.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.agent.backup.TestAgentConfig.TestGuestAgent;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The freeze/action/thaw sequencing of checkpoint QUIESCE on a scripted guest agent: every path thaws once. */
class QuiescerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** A guest agent whose answers the test scripts, recording what was asked. */
    private final class ScriptedSession implements GuestAgentSession {
        RuntimeException freezeFailure;
        RuntimeException thawFailure;
        RuntimeException syncFailure;

        @Override
        public void sync(Duration timeout) {
            steps.add("sync");
            if (syncFailure != null) {
                throw syncFailure;
            }
        }

        @Override
        public int freeze(Duration timeout) {
            steps.add("freeze");
            if (freezeFailure != null) {
                throw freezeFailure;
            }
            return 2;
        }

        @Override
        public int thaw(Duration timeout) {
            steps.add("thaw");
            if (thawFailure != null) {
                throw thawFailure;
            }
            return 2;
        }

        @Override
        public void close() {
            steps.add("close");
        }
    }

    private Quiescer quiescer(ScriptedSession session, Duration maxFreeze) {
        return new Quiescer(domain -> session, new TestGuestAgent(Duration.ofSeconds(1), maxFreeze,
                Duration.ofSeconds(1)), Duration.ofSeconds(5), timer);
    }

    private Uni<String> action() {
        return Uni.createFrom().item(() -> {
            steps.add("transaction");
            return "made";
        });
    }

    private Uni<Void> undo(String made) {
        steps.add("undo " + made);
        return Uni.createFrom().voidItem();
    }

    @Test
    void freezesThenRunsTheActionThenThaws() {
        Quiescer.Quiesced<String> done = quiescer(new ScriptedSession(), Duration.ofSeconds(5))
                .around("vm", this::action, this::undo).await().atMost(WAIT);

        assertThat(done.frozenFilesystems()).isEqualTo(2);
        assertThat(done.result()).isEqualTo("made");
        assertThat(done.frozenFor()).isPositive().isLessThan(Duration.ofSeconds(5));
        assertThat(steps).containsExactly("sync", "freeze", "transaction", "thaw", "close");
    }

    @Test
    void aFailedActionIsThawedAndKeepsItsError() {
        CairnException exists = new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "Bitmap already exists: c1");
        Uni<String> failing = Uni.createFrom().failure(() -> {
            steps.add("transaction");
            return exists;
        });

        assertThatThrownBy(() -> quiescer(new ScriptedSession(), Duration.ofSeconds(5))
                .around("vm", () -> failing, this::undo).await().atMost(WAIT)).isSameAs(exists);
        assertThat(steps).containsExactly("sync", "freeze", "transaction", "thaw", "close");
    }

    @Test
    void aFreezeWithoutAnswerIsThawedAndNothingRuns() {
        ScriptedSession session = new ScriptedSession();
        session.freezeFailure = GuestAgentErrors.noAnswer("guest-fsfreeze-freeze", Duration.ofSeconds(5));

        assertThatThrownBy(() -> quiescer(session, Duration.ofSeconds(5)).around("vm", this::action, this::undo)
                .await().atMost(WAIT)).isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_AGENT_UNRESPONSIVE));
        assertThat(steps).containsExactly("sync", "freeze", "thaw", "close");
    }

    @Test
    void aFreezeTheAgentRefusedIsNotThawed() {
        ScriptedSession session = new ScriptedSession();
        // Someone else froze the guest: thawing would end their freeze.
        session.freezeFailure = GuestAgentErrors.commandFailed("guest-fsfreeze-freeze",
                "Command guest-fsfreeze-freeze has been disabled: the agent is in frozen state");

        assertThatThrownBy(() -> quiescer(session, Duration.ofSeconds(5)).around("vm", this::action, this::undo)
                .await().atMost(WAIT)).hasMessage("unable to execute QEMU agent command 'guest-fsfreeze-freeze': "
                        + "Command guest-fsfreeze-freeze has been disabled: the agent is in frozen state");
        assertThat(steps).containsExactly("sync", "freeze", "close");
    }

    @Test
    void aFreezeAnsweredWithSomethingElseIsThawed() {
        ScriptedSession session = new ScriptedSession();
        session.freezeFailure = GuestAgentErrors.malformed("guest-fsfreeze-freeze", "{\"return\": \"frozen\"}");

        assertThatThrownBy(() -> quiescer(session, Duration.ofSeconds(5)).around("vm", this::action, this::undo)
                .await().atMost(WAIT)).hasMessageContaining("unexpected answer");
        assertThat(steps).as("what the guest did is unknown: thawed").containsExactly("sync", "freeze", "thaw", "close");
    }

    @Test
    void aFailedThawTakesTheCheckpointBack() {
        ScriptedSession session = new ScriptedSession();
        session.thawFailure = GuestAgentErrors.noAnswer("guest-fsfreeze-thaw", Duration.ofSeconds(1));

        assertThatThrownBy(() -> quiescer(session, Duration.ofSeconds(5)).around("vm", this::action, this::undo)
                .await().atMost(WAIT)).isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_AGENT_UNRESPONSIVE);
                    assertThat(e.getMessage()).startsWith("Guest agent is not responding: Guest agent not available "
                            + "for now (no answer to 'guest-fsfreeze-thaw'").contains("the checkpoint was not kept");
                });
        assertThat(steps).containsExactly("sync", "freeze", "transaction", "thaw", "undo made", "close");
    }

    @Test
    void anActionOutlastingTheMaximumFreezeIsThawedOnTimeAndTakenBack() {
        Uni<String> slow = Uni.createFrom().item("made").onItem().delayIt().by(Duration.ofMillis(800))
                .invoke(() -> steps.add("transaction"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> quiescer(new ScriptedSession(), Duration.ofMillis(200))
                .around("vm", () -> slow, this::undo).await().atMost(WAIT))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT);
                    assertThat(e.getMessage()).contains("maximum freeze of 200 ms").contains("not kept");
                });
        assertThat(steps).as("thawed while the action still ran, undone once it ended")
                .containsExactly("sync", "freeze", "thaw", "transaction", "undo made", "close");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void withoutAChannelOrAnAnswerNothingIsFrozen() {
        Quiescer none = new Quiescer(domain -> {
            throw GuestAgentErrors.notConfigured();
        }, TestGuestAgent.DEFAULTS, Duration.ofSeconds(5), timer);
        assertThatThrownBy(() -> none.around("vm", this::action, this::undo).await().atMost(WAIT))
                .hasMessage("argument unsupported: QEMU guest agent is not configured");

        ScriptedSession silent = new ScriptedSession();
        silent.syncFailure = GuestAgentErrors.notConnected();
        assertThatThrownBy(() -> quiescer(silent, Duration.ofSeconds(5)).around("vm", this::action, this::undo)
                .await().atMost(WAIT)).hasMessage("Guest agent is not responding: QEMU guest agent is not connected");
        assertThat(steps).containsExactly("sync", "close");
    }
}
