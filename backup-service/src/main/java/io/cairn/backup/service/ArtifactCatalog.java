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
import io.cairn.events.event.ArtifactVerdict;
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

    /** The disks of a job the catalog holds (or held: pruned ones count) an artifact of. */
    public Uni<java.util.Set<String>> disksOfJob(String jobId) {
        return Panache.withSession(() -> artifacts.ofJob(jobId))
                .map(rows -> rows.stream().map(row -> row.disk).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Writes a pull job's registered outputs; call inside the transaction that records the register's outcome.
     * Answers false, writing nothing, when one of those disks got an artifact meanwhile (a concurrent register).
     */
    public Uni<Boolean> recordRegistered(List<Artifact> registered) {
        if (registered.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return artifacts.ofJob(registered.get(0).jobId()).flatMap(rows -> {
            java.util.Set<String> taken = rows.stream().map(row -> row.disk)
                    .collect(java.util.stream.Collectors.toSet());
            if (registered.stream().anyMatch(artifact -> taken.contains(artifact.disk()))) {
                return Uni.createFrom().item(false);
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Artifact artifact : registered) {
                chain = chain.chain(() -> artifacts.persist(entity(artifact)).replaceWithVoid());
            }
            return chain.replaceWith(true);
        });
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

    /**
     * Records what a verify found, inside the transaction that ends it: each artifact's time and problem (none when
     * intact). Answers the verdicts with the checkpoint each artifact holds filled in.
     */
    public Uni<List<ArtifactVerdict>> recordVerdicts(String domain, List<ArtifactVerdict> verdicts, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return artifacts.ofDomain(domain).map(rows -> {
            List<ArtifactVerdict> named = new java.util.ArrayList<>();
            for (ArtifactVerdict verdict : verdicts) {
                String checkpoint = null;
                for (BackupArtifactEntity row : rows) {
                    if (row.path.equals(verdict.path()) && row.disk.equals(verdict.disk())) {
                        row.verifiedAt = at;
                        row.damage = verdict.intact() ? null : verdict.problem();
                        checkpoint = row.checkpoint;
                    }
                }
                named.add(new ArtifactVerdict(verdict.disk(), checkpoint, verdict.path(), verdict.intact(),
                        verdict.problem()));
            }
            return named;
        });
    }

    /**
     * Records the artifacts a retention run rewrote: each stands on its new base (or alone) with a new size and
     * checksum, which no verify has read yet. Call inside the transaction that applies the run's report.
     */
    public Uni<Void> recordMerged(List<io.cairn.events.event.MergedArtifactEntry> merged) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (io.cairn.events.event.MergedArtifactEntry entry : merged) {
            chain = chain.chain(() -> artifacts.findById(entry.artifact()).invoke(row -> {
                if (row != null) {
                    row.incrementalFrom = entry.incrementalFrom();
                    row.sizeBytes = entry.size();
                    row.sha256 = entry.sha256();
                    row.verifiedAt = null;
                    row.damage = null;
                }
            }).replaceWithVoid());
        }
        return chain;
    }

    /**
     * Forgets an artifact's checksum when a retention run went silent in the middle of rewriting it: its file holds
     * either the old bytes or the merged ones, and the catalog cannot know which. With no checksum a restore refuses
     * it and a verify skips it rather than calling it damaged; the next run repeats the step (which reads the same
     * either way) and records the new one. In a transaction.
     */
    public Uni<Void> forgetChecksum(String artifactId) {
        return artifacts.findById(artifactId).invoke(row -> {
            if (row != null) {
                row.sha256 = null;
                row.sizeBytes = null;
                row.verifiedAt = null;
                row.damage = null;
            }
        }).replaceWithVoid();
    }

    /** Takes the artifacts a retention run deleted out of the catalog (their rows stay, marked). In a transaction. */
    public Uni<Void> recordPruned(List<io.cairn.events.event.PrunedArtifactEntry> pruned, String runId, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (io.cairn.events.event.PrunedArtifactEntry entry : pruned) {
            chain = chain.chain(() -> artifacts.findById(entry.artifact()).invoke(row -> {
                if (row != null && row.prunedAt == null) {
                    row.prunedAt = at;
                    row.prunedBy = runId;
                }
            }).replaceWithVoid());
        }
        return chain;
    }

    /** A domain and a host holding some of its artifacts. */
    public record DomainOnHost(String domain, String hostId) {
    }

    /** Domains (with the hosts of those artifacts) holding an artifact with a checksum no verify read since then. */
    public Uni<List<DomainOnHost>> domainsUnverifiedSince(Instant before) {
        return Panache.withSession(() -> artifacts.domainsUnverifiedSince(
                OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
                .map(rows -> rows.stream().map(row -> new DomainOnHost(row[0], row[1])).toList());
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
                row.completedAt.toInstant(), row.verifiedAt == null ? null : row.verifiedAt.toInstant(), row.damage);
    }

    private static CheckpointAttempt attempt(BackupJobEntity row) {
        return new CheckpointAttempt(row.checkpointName, row.jobId, BackupMode.valueOf(row.mode),
                JobState.valueOf(row.state), row.error, instant(row.endedAt));
    }

    private static Instant instant(OffsetDateTime time) {
        return time.toInstant();
    }
}
