package io.cairn.backup.service.job;

import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupMode;
import java.time.Duration;
import java.util.Collection;

/**
 * Computes libvirt's job statistics ({@code virDomainGetJobStats}) from per-disk progress: push jobs count bytes
 * copied, pull jobs count scratch used, because that is what each mode's QEMU job measures.
 */
public final class JobStatistics {
    private JobStatistics() {
    }

    public static BackupStatistics of(BackupMode mode, Collection<DiskJob> disks, Duration elapsed) {
        long elapsedMillis = Math.max(0, elapsed.toMillis());
        if (disks.isEmpty()) {
            // libvirt only reports the disk figures once there is progress to report.
            return new BackupStatistics(null, null, null, null, null, elapsedMillis);
        }
        long processed = disks.stream().mapToLong(DiskJob::processed).sum();
        long total = disks.stream().mapToLong(DiskJob::total).sum();
        return mode == BackupMode.PUSH
                ? BackupStatistics.push(total, processed, elapsedMillis)
                : BackupStatistics.pull(processed, total, elapsedMillis);
    }
}
