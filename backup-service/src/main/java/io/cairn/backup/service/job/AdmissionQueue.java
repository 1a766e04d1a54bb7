package io.cairn.backup.service.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Fair use of backup capacity: at most N jobs per host and M in the fleet run at once, the rest wait in arrival
 * order, and a domain never has two jobs (libvirt allows one backup per domain). Pure and in memory; the store
 * rebuilds it from the active jobs after a restart.
 *
 * <p>Waiting jobs start in arrival order, except that a job whose host is full does not hold back later jobs for
 * other hosts: it could not start anyway, and blocking them would leave fleet slots idle.
 */
public final class AdmissionQueue {
    private final FairUseLimits limits;
    private final Map<String, AdmissionTicket> running = new LinkedHashMap<>();
    private final TreeSet<AdmissionTicket> waiting = new TreeSet<>(
            Comparator.comparingLong(AdmissionTicket::arrival).thenComparing(AdmissionTicket::jobId));
    private final Map<String, String> jobByDomain = new HashMap<>();
    private final Map<String, Integer> runningPerHost = new HashMap<>();

    public AdmissionQueue(FairUseLimits limits) {
        this.limits = limits;
    }

    /**
     * Rebuilds the queue from stored jobs: those already with an agent keep their slots (even beyond a lowered
     * limit), the queued wait in arrival order. Call {@link #admitWaiting()} afterwards to fill free slots.
     */
    public static AdmissionQueue restore(FairUseLimits limits, Collection<AdmissionTicket> holdingSlots,
            Collection<AdmissionTicket> queued) {
        AdmissionQueue queue = new AdmissionQueue(limits);
        holdingSlots.forEach(ticket -> {
            queue.claimDomain(ticket);
            queue.occupy(ticket);
        });
        queued.forEach(ticket -> {
            queue.claimDomain(ticket);
            queue.waiting.add(ticket);
        });
        return queue;
    }

    /**
     * Adds a new job. It starts at once if its host and the fleet have room and nobody is waiting before it for the
     * same host; otherwise it waits.
     *
     * @return the jobs that may start now (this one, or none)
     * @throws io.cairn.events.error.CairnException VIR_ERR_OPERATION_INVALID when the domain already has a job
     */
    public List<AdmissionTicket> submit(AdmissionTicket ticket) {
        if (ticket.jobId().equals(jobByDomain.get(ticket.domain()))) {
            return List.of();
        }
        claimDomain(ticket);
        waiting.add(ticket);
        return admitWaiting();
    }

    /**
     * The job ended (or was cancelled while waiting): frees its slot or its place and its domain.
     *
     * @return the waiting jobs that may start now, in arrival order
     */
    public List<AdmissionTicket> release(String jobId) {
        AdmissionTicket ticket = running.remove(jobId);
        if (ticket != null) {
            runningPerHost.merge(ticket.hostId(), -1, Integer::sum);
        } else {
            ticket = waiting.stream().filter(t -> t.jobId().equals(jobId)).findFirst().orElse(null);
            if (ticket == null) {
                return List.of();
            }
            waiting.remove(ticket);
        }
        jobByDomain.remove(ticket.domain(), jobId);
        return admitWaiting();
    }

    /** Starts every waiting job that fits, oldest first; returns them in the order they were admitted. */
    public List<AdmissionTicket> admitWaiting() {
        List<AdmissionTicket> admitted = new ArrayList<>();
        for (AdmissionTicket ticket : List.copyOf(waiting)) {
            if (running.size() >= limits.fleet()) {
                break;
            }
            if (runningOn(ticket.hostId()) < limits.perHost()) {
                waiting.remove(ticket);
                occupy(ticket);
                admitted.add(ticket);
            }
        }
        return admitted;
    }

    /** Where a waiting job stands; empty when the job is running or unknown. */
    public Optional<QueuePosition> positionOf(String jobId) {
        int position = 0;
        int aheadOnSameHost = 0;
        AdmissionTicket found = null;
        String host = waiting.stream().filter(t -> t.jobId().equals(jobId)).map(AdmissionTicket::hostId)
                .findFirst().orElse(null);
        if (host == null) {
            return Optional.empty();
        }
        for (AdmissionTicket ticket : waiting) {
            position++;
            if (ticket.jobId().equals(jobId)) {
                found = ticket;
                break;
            }
            if (ticket.hostId().equals(host)) {
                aheadOnSameHost++;
            }
        }
        QueuePosition.Limit limit = runningOn(found.hostId()) >= limits.perHost()
                ? QueuePosition.Limit.HOST
                : QueuePosition.Limit.FLEET;
        return Optional.of(new QueuePosition(position, aheadOnSameHost, limit));
    }

    public boolean isRunning(String jobId) {
        return running.containsKey(jobId);
    }

    public int runningOn(String hostId) {
        return runningPerHost.getOrDefault(hostId, 0);
    }

    public int runningInFleet() {
        return running.size();
    }

    /** How many jobs wait for a slot on this host. */
    public int waitingOn(String hostId) {
        return (int) waiting.stream().filter(ticket -> ticket.hostId().equals(hostId)).count();
    }

    public int waitingCount() {
        return waiting.size();
    }

    /** The job a domain has, queued or running. */
    public Optional<String> jobOf(String domain) {
        return Optional.ofNullable(jobByDomain.get(domain));
    }

    private void claimDomain(AdmissionTicket ticket) {
        String existing = jobByDomain.putIfAbsent(ticket.domain(), ticket.jobId());
        if (existing != null && !existing.equals(ticket.jobId())) {
            throw BackupErrors.anotherBackupRunning();
        }
    }

    private void occupy(AdmissionTicket ticket) {
        running.put(ticket.jobId(), ticket);
        runningPerHost.merge(ticket.hostId(), 1, Integer::sum);
    }
}
