package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.job.AdmissionQueue;
import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.job.QueuePosition;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The service's one admission queue, rebuilt from the stored active jobs on first use. In memory: with several
 * replicas each would admit on its own, so for now backup-service runs as a single replica.
 */
@ApplicationScoped
public class Admission {

    @Inject
    BackupJobStore store;

    @Inject
    BackupLimitsConfig limits;

    private AdmissionQueue queue;

    /**
     * The queue, restored once; the first call also returns the waiting jobs that fit right away (e.g. after a
     * restart with free slots), which the caller must start.
     */
    public Uni<List<AdmissionTicket>> ready() {
        synchronized (this) {
            if (queue != null) {
                return Uni.createFrom().item(List.of());
            }
        }
        return store.restoreQueue(limits.fairUse()).map(restored -> {
            synchronized (this) {
                if (queue != null) {
                    return List.of();
                }
                queue = restored;
                return queue.admitWaiting();
            }
        });
    }

    /** Adds a stored job; returns the jobs that may start now. */
    public synchronized List<AdmissionTicket> submit(AdmissionTicket ticket) {
        return queue.submit(ticket);
    }

    /** The job ended or left the queue; returns the waiting jobs that may start now. */
    public synchronized List<AdmissionTicket> release(String jobId) {
        return queue == null ? List.of() : queue.release(jobId);
    }

    public synchronized Optional<QueuePosition> positionOf(String jobId) {
        return queue == null ? Optional.empty() : queue.positionOf(jobId);
    }
}
