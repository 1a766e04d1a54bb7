package io.cairn.backup.service.job;

import java.util.Objects;

/**
 * A job's claim on a backup slot.
 *
 * @param arrival the job's place in the order requests arrived (strictly increasing, assigned by the store), which
 *                decides who waits longer
 */
public record AdmissionTicket(String jobId, String domain, String hostId, long arrival) {
    public AdmissionTicket {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(hostId, "hostId");
    }
}
