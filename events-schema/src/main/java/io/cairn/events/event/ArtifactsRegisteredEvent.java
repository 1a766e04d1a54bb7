package io.cairn.events.event;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of a backup.register: the pull job's outputs are in the backup catalog now, each with the size and
 * SHA-256 its agent read, and its restore point restores like a push backup's.
 *
 * @param jobId     the pull backup job the files are outputs of
 * @param hostId    the host holding them (the job's)
 * @param artifacts one per registered disk
 */
public record ArtifactsRegisteredEvent(String eventId, Instant time, String domain, String commandId, String jobId,
        String hostId, List<RegisteredArtifact> artifacts) implements CairnEvent {

    public static final String TYPE = "artifacts-registered";

    public ArtifactsRegisteredEvent {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
