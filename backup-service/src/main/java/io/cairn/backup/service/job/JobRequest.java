package io.cairn.backup.service.job;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.CheckpointDefinition;
import java.util.Objects;

/**
 * What a new backup job is made of once the begin command was validated and its definition aligned.
 *
 * @param hostId        the host whose agent will run the job (where the domain runs)
 * @param definition    the aligned backup definition
 * @param checkpoint    the checkpoint to create with the backup; null for none
 * @param reuseExternal libvirt's REUSE_EXTERNAL flag
 */
public record JobRequest(String jobId, String domain, String hostId, String commandId, BackupDefinition definition,
        CheckpointDefinition checkpoint, boolean reuseExternal) {
    public JobRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(definition, "definition");
    }
}
