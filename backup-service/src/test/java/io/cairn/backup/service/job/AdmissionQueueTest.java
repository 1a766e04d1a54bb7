package io.cairn.backup.service.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fair use: N per host, M in the fleet, FIFO for the rest, one job per domain, and slots freed when jobs end. */
class AdmissionQueueTest {
    private long arrival;

    private AdmissionTicket ticket(String jobId, String host) {
        return new AdmissionTicket(jobId, "dom-" + jobId, host, ++arrival);
    }

    private static List<String> ids(List<AdmissionTicket> tickets) {
        return tickets.stream().map(AdmissionTicket::jobId).toList();
    }

    @Test
    void jobsStartAtOnceWhileTheirHostHasRoom() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(2, 10));

        assertThat(ids(queue.submit(ticket("a1", "A")))).containsExactly("a1");
        assertThat(ids(queue.submit(ticket("a2", "A")))).containsExactly("a2");
        assertThat(queue.submit(ticket("a3", "A"))).isEmpty();

        assertThat(queue.runningOn("A")).isEqualTo(2);
        assertThat(queue.positionOf("a3")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(queue.positionOf("a1")).as("running jobs have no queue position").isEmpty();
    }

    @Test
    void eachHostCountsOnlyItsOwnWaitingJobs() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 10));

        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("a2", "A"));
        queue.submit(ticket("a3", "A"));
        queue.submit(ticket("b1", "B"));

        assertThat(queue.waitingOn("A")).isEqualTo(2);
        assertThat(queue.waitingOn("B")).isZero();
        assertThat(queue.waitingOn("C")).isZero();
        assertThat(queue.waitingCount()).isEqualTo(2);
    }

    @Test
    void theFleetLimitHoldsAcrossHosts() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(2, 3));

        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("b1", "B"));
        queue.submit(ticket("c1", "C"));
        List<AdmissionTicket> fourth = queue.submit(ticket("d1", "D"));

        assertThat(fourth).isEmpty();
        assertThat(queue.runningInFleet()).isEqualTo(3);
        assertThat(queue.positionOf("d1")).contains(new QueuePosition(1, 0, QueuePosition.Limit.FLEET));
    }

    @Test
    void waitingJobsOfOneHostStartInArrivalOrder() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 10));
        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("a2", "A"));
        queue.submit(ticket("a3", "A"));
        queue.submit(ticket("a4", "A"));

        assertThat(queue.positionOf("a4")).contains(new QueuePosition(3, 2, QueuePosition.Limit.HOST));
        assertThat(ids(queue.release("a1"))).containsExactly("a2");
        assertThat(ids(queue.release("a2"))).containsExactly("a3");
        assertThat(queue.positionOf("a4")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(ids(queue.release("a3"))).containsExactly("a4");
        assertThat(queue.waitingCount()).isZero();
    }

    @Test
    void freedFleetSlotsGoToTheOldestWaitingJobWhoseHostHasRoom() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 2));
        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("b1", "B"));
        queue.submit(ticket("a2", "A"));
        queue.submit(ticket("c1", "C"));
        queue.submit(ticket("c2", "C"));

        // b1 ends: a2 is older but host A is full, so c1 (next in arrival order) takes the fleet slot
        assertThat(ids(queue.release("b1"))).containsExactly("c1");
        assertThat(queue.positionOf("a2")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(queue.positionOf("c2")).contains(new QueuePosition(2, 0, QueuePosition.Limit.HOST));

        // a1 ends: a2 takes host A's slot before anyone later
        assertThat(ids(queue.release("a1"))).containsExactly("a2");
    }

    @Test
    void aFreedFleetSlotIsNotTakenOutOfOrderOnTheSameHost() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(2, 2));
        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("b1", "B"));
        queue.submit(ticket("a2", "A"));
        queue.submit(ticket("a3", "A"));

        assertThat(ids(queue.release("b1"))).containsExactly("a2");
        assertThat(queue.positionOf("a3")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
    }

    @Test
    void releasingSeveralSlotsAtOnceAdmitsSeveralInOrder() {
        AdmissionQueue queue = AdmissionQueue.restore(new FairUseLimits(3, 3),
                List.of(), List.of(ticket("a1", "A"), ticket("a2", "A"), ticket("b1", "B"), ticket("a3", "A")));

        assertThat(ids(queue.admitWaiting())).containsExactly("a1", "a2", "b1");
        assertThat(queue.positionOf("a3")).contains(new QueuePosition(1, 0, QueuePosition.Limit.FLEET));
    }

    @Test
    void aDomainHasOneJobAtATimeWhetherQueuedOrRunning() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 1));
        queue.submit(new AdmissionTicket("j1", "vm", "A", 1));
        queue.submit(new AdmissionTicket("other", "vm-2", "A", 2));

        assertThatThrownBy(() -> queue.submit(new AdmissionTicket("j2", "vm", "B", 3)))
                .isInstanceOf(CairnException.class)
                .hasMessage("another backup job is already running")
                .extracting(e -> ((CairnException) e).code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_INVALID);
        assertThatThrownBy(() -> queue.submit(new AdmissionTicket("j3", "vm-2", "B", 4)))
                .as("queued counts too")
                .isInstanceOf(CairnException.class);
        assertThat(queue.waitingCount()).isEqualTo(1);
    }

    @Test
    void aDomainMayBackUpAgainOnceItsJobEnded() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 1));
        queue.submit(new AdmissionTicket("j1", "vm", "A", 1));
        queue.release("j1");

        assertThat(ids(queue.submit(new AdmissionTicket("j2", "vm", "A", 2)))).containsExactly("j2");
        assertThat(queue.jobOf("vm")).contains("j2");
    }

    @Test
    void resubmittingTheSameJobChangesNothing() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 1));
        AdmissionTicket first = ticket("a1", "A");
        queue.submit(first);

        assertThat(queue.submit(first)).isEmpty();
        assertThat(queue.runningInFleet()).isEqualTo(1);
        assertThat(queue.waitingCount()).isZero();
    }

    @Test
    void cancellingAWaitingJobFreesItsPlaceAndDomainButNoSlot() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 5));
        queue.submit(ticket("a1", "A"));
        queue.submit(ticket("a2", "A"));
        queue.submit(ticket("a3", "A"));

        assertThat(queue.release("a2")).isEmpty();

        assertThat(queue.jobOf("dom-a2")).isEmpty();
        assertThat(queue.positionOf("a3")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(queue.runningOn("A")).isEqualTo(1);
    }

    @Test
    void releasingAnUnknownJobIsHarmless() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 1));
        queue.submit(ticket("a1", "A"));

        assertThat(queue.release("nope")).isEmpty();
        assertThat(queue.isRunning("a1")).isTrue();
    }

    @Test
    void aRestoredQueueKeepsRunningJobsEvenBeyondALoweredLimit() {
        AdmissionQueue queue = AdmissionQueue.restore(new FairUseLimits(1, 5),
                List.of(ticket("a1", "A"), ticket("a2", "A")), List.of(ticket("a3", "A")));

        assertThat(queue.admitWaiting()).isEmpty();
        assertThat(queue.runningOn("A")).isEqualTo(2);
        assertThat(queue.release("a1")).as("still at the limit").isEmpty();
        assertThat(ids(queue.release("a2"))).containsExactly("a3");
    }

    @Test
    void aRestoredQueueOrdersWaitingJobsByArrivalNotByListOrder() {
        AdmissionTicket late = new AdmissionTicket("late", "d1", "A", 20);
        AdmissionTicket early = new AdmissionTicket("early", "d2", "A", 10);
        AdmissionQueue queue = AdmissionQueue.restore(new FairUseLimits(1, 5),
                List.of(new AdmissionTicket("run", "d0", "A", 1)), List.of(late, early));

        assertThat(queue.positionOf("early")).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(queue.positionOf("late")).contains(new QueuePosition(2, 1, QueuePosition.Limit.HOST));
        assertThat(ids(queue.release("run"))).containsExactly("early");
    }

    @Test
    void limitsMustAllowAtLeastOneJob() {
        assertThatThrownBy(() -> new FairUseLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairUseLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
