package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * libvirt's backup job statistics ({@code virDomainGetJobStats}) under libvirt's own typed-parameter names,
 * so users can reuse code written against libvirt. Fields a backup mode does not have are absent.
 *
 * @param diskTotal     bytes to copy (push)
 * @param diskProcessed bytes copied so far (push)
 * @param diskRemaining bytes left to copy (push)
 * @param diskTempUsed  bytes of scratch in use (pull)
 * @param diskTempTotal scratch capacity in bytes (pull)
 * @param timeElapsed   milliseconds since the job started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStatistics(
        @JsonProperty("disk_total") Long diskTotal,
        @JsonProperty("disk_processed") Long diskProcessed,
        @JsonProperty("disk_remaining") Long diskRemaining,
        @JsonProperty("disk_temp_used") Long diskTempUsed,
        @JsonProperty("disk_temp_total") Long diskTempTotal,
        @JsonProperty("time_elapsed") Long timeElapsed) {

    /** Push statistics: how much of the data has been copied to the targets. */
    public static BackupStatistics push(long diskTotal, long diskProcessed, long timeElapsed) {
        return new BackupStatistics(diskTotal, diskProcessed, diskTotal - diskProcessed, null, null, timeElapsed);
    }

    /** Pull statistics: how much scratch space copy-on-write has consumed while the client reads. */
    public static BackupStatistics pull(long diskTempUsed, long diskTempTotal, long timeElapsed) {
        return new BackupStatistics(null, null, null, diskTempUsed, diskTempTotal, timeElapsed);
    }
}
