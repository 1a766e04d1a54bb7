package io.cairn.backup.service;

import io.cairn.backup.repository.BackupArtifactEntity;
import io.cairn.backup.repository.BackupArtifactRepository;
import io.cairn.backup.repository.BackupJobEntity;
import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.CheckpointAttempt;
import io.cairn.backup.service.catalog.CompletedArtifacts;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.catalog.RestorePoints;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.model.BackupMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The backup catalog: records a completed job's artifacts inside the transaction that records its completion (so a
 * completed job and its catalog entries commit together), and reads a domain's artifacts and restore points.
 */
@ApplicationScoped
public class ArtifactCatalog {

    private final BackupArtifactRepository artifacts;

    public ArtifactCatalog(BackupArtifactRepository artifacts) {
        this.artifacts = artifacts;
    }

    /**
     * Writes the artifacts the job's end left; call inside the transaction that ends the job. An artifact already
     * recorded (a completion applied twice) is left as it is.
     */
    public Uni<Void> record(BackupJob job) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Artifact artifact : CompletedArtifacts.of(job)) {
            chain = chain.chain(() -> artifacts.findById(artifact.id()).chain(existing -> existing != null
                    ? Uni.createFrom().voidItem()
                    : artifacts.persist(entity(artifact)).replaceWithVoid()));
        }
        return chain;
    }

    /** The domain's artifacts, oldest first. */
    public Uni<List<Artifact>> artifacts(String domain) {
        return Panache.withSession(() -> artifacts.ofDomain(domain))
                .map(rows -> rows.stream().map(ArtifactCatalog::model).toList());
    }

    /** The domain's restore points, newest first, each disk with its chain or the reason it has none. */
    public Uni<List<RestorePoint>> restorePoints(String domain) {
        return Panache.withSession(() -> artifacts.ofDomain(domain).flatMap(rows -> artifacts
                .endedJobsWithCheckpoint(domain).map(jobs -> RestorePoints.of(
                        rows.stream().map(ArtifactCatalog::model).toList(),
                        jobs.stream().map(ArtifactCatalog::attempt).toList()))));
    }

    private static BackupArtifactEntity entity(Artifact artifact) {
        BackupArtifactEntity row = new BackupArtifactEntity();
        row.artifactId = artifact.id();
        row.jobId = artifact.jobId();
        row.domain = artifact.domain();
        row.hostId = artifact.hostId();
        row.disk = artifact.disk();
        row.checkpoint = artifact.checkpoint();
        row.incrementalFrom = artifact.incrementalFrom();
        row.mode = artifact.mode().name();
        row.path = artifact.path();
        row.format = artifact.format();
        row.sizeBytes = artifact.size();
        row.sha256 = artifact.sha256();
        row.completedAt = OffsetDateTime.ofInstant(artifact.completedAt(), ZoneOffset.UTC);
        return row;
    }

    private static Artifact model(BackupArtifactEntity row) {
        return new Artifact(row.jobId, row.domain, row.hostId, row.disk, row.checkpoint, row.incrementalFrom,
                BackupMode.valueOf(row.mode), row.path, row.format, row.sizeBytes, row.sha256,
                row.completedAt.toInstant());
    }

    private static CheckpointAttempt attempt(BackupJobEntity row) {
        return new CheckpointAttempt(row.checkpointName, row.jobId, BackupMode.valueOf(row.mode),
                JobState.valueOf(row.state), row.error, instant(row.endedAt));
    }

    private static Instant instant(OffsetDateTime time) {
        return time.toInstant();
    }
}
