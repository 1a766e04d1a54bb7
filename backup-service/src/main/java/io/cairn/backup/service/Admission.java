package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.job.AdmissionQueue;
import io.cairn.backup.service.job.AdmissionTicket;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;

/**
 * Fair use of hosts across every replica: admission decisions are taken from the stored active jobs under a
 * database lock (see {@link BackupJobStore#admitWaiting}), never from one replica's memory, so two replicas cannot
 * both hand out a host's last slot.
 */
@ApplicationScoped
public class Admission {

    @Inject
    BackupJobStore store;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    Clock clock;

    /** The waiting jobs that fit now, oldest first, each already marked STARTING: the caller must start them. */
    public Uni<List<AdmissionTicket>> admitWaiting() {
        return store.admitWaiting(limits.fairUse(), clock.instant());
    }

    /** The queue as stored now: where each waiting job stands. */
    public Uni<AdmissionQueue> queue() {
        return store.restoreQueue(limits.fairUse());
    }
}
