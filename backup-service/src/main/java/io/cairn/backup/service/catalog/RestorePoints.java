package io.cairn.backup.service.catalog;

import io.cairn.backup.service.job.JobState;
import io.cairn.events.model.BackupMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out a domain's restore points from its catalog, with no I/O: for each completed backup, per disk, the chain
 * from a full backup up to its artifact. An incremental holds the changes since its {@code incrementalFrom}
 * checkpoint (libvirt's meaning), so the link below it is that disk's artifact capturing that checkpoint, the latest
 * one written before it (a checkpoint name can be used again after a delete); and so on down to a full backup. A
 * link no artifact provides makes the restore point incomplete, with a reason naming the checkpoint and disk and,
 * where an ended job explains it, that job.
 */
public final class RestorePoints {

    private final List<Artifact> artifacts;
    private final List<CheckpointAttempt> attempts;

    private RestorePoints(List<Artifact> artifacts, List<CheckpointAttempt> attempts) {
        this.artifacts = artifacts.stream().sorted(Comparator.comparing(Artifact::completedAt)).toList();
        this.attempts = attempts.stream().sorted(Comparator.comparing(CheckpointAttempt::endedAt)).toList();
    }

    /** The restore points of one domain's artifacts, newest first. */
    public static List<RestorePoint> of(List<Artifact> artifacts, List<CheckpointAttempt> attempts) {
        return new RestorePoints(artifacts, attempts).all();
    }

    private List<RestorePoint> all() {
        Map<String, List<Artifact>> byJob = new LinkedHashMap<>();
        for (Artifact artifact : artifacts) {
            byJob.computeIfAbsent(artifact.jobId(), job -> new ArrayList<>()).add(artifact);
        }
        List<RestorePoint> points = new ArrayList<>();
        for (List<Artifact> captured : byJob.values()) {
            Artifact first = captured.get(0);
            List<DiskRestore> disks = captured.stream().sorted(Comparator.comparing(Artifact::disk))
                    .map(this::chainOf).toList();
            points.add(new RestorePoint(first.checkpoint(), first.jobId(), first.completedAt(), disks));
        }
        Collections.reverse(points);
        return points;
    }

    private DiskRestore chainOf(Artifact top) {
        List<Artifact> chain = new ArrayList<>();
        Artifact link = top;
        chain.add(link);
        while (!link.isFull()) {
            Optional<Artifact> below = capturing(link.disk(), link.incrementalFrom(), link);
            if (below.isEmpty()) {
                Collections.reverse(chain);
                return new DiskRestore(top.disk(), chain, missing(link));
            }
            link = below.get();
            chain.add(link);
        }
        Collections.reverse(chain);
        return new DiskRestore(top.disk(), chain, chain.stream().filter(Artifact::isDamaged).findFirst()
                .map(damaged -> "disk '" + damaged.disk() + "': artifact " + damaged.id() + " ('" + damaged.path()
                        + "') was found damaged by the verify of " + damaged.verifiedAt() + ": " + damaged.damage())
                .orElse(null));
    }

    /** The disk's artifact capturing {@code checkpoint}, the latest written before {@code above}. */
    private Optional<Artifact> capturing(String disk, String checkpoint, Artifact above) {
        Artifact found = null;
        for (Artifact artifact : artifacts) {
            if (!artifact.completedAt().isBefore(above.completedAt())) {
                break;
            }
            if (artifact.captures(disk, checkpoint)) {
                found = artifact;
            }
        }
        return Optional.ofNullable(found);
    }

    private String missing(Artifact link) {
        String gap = "disk '" + link.disk() + "': no artifact holds checkpoint '" + link.incrementalFrom()
                + "', which artifact " + link.id() + " is incremental from";
        return explanation(link).map(why -> gap + ": " + why).orElse(gap);
    }

    /** The latest ended job before the link that created the missing checkpoint, and why it left no artifact. */
    private Optional<String> explanation(Artifact link) {
        CheckpointAttempt latest = null;
        for (CheckpointAttempt attempt : attempts) {
            if (attempt.endedAt().isBefore(link.completedAt())
                    && link.incrementalFrom().equals(attempt.checkpoint())) {
                latest = attempt;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        String job = "backup job " + latest.jobId();
        if (latest.mode() == BackupMode.PULL && latest.state() == JobState.COMPLETED) {
            return Optional.of(job + " that created it was a pull backup, whose data the client wrote, not Cairn; "
                    + "register the client's outputs with backup.register (POST /api/v1/backup/jobs/" + latest.jobId()
                    + "/artifacts) to complete the chain");
        }
        if (latest.state() == JobState.FAILED) {
            return Optional.of(job + " that created it failed"
                    + (latest.error() == null ? "" : " (" + latest.error() + ")"));
        }
        if (latest.state() == JobState.CANCELLED) {
            return Optional.of(job + " that created it was cancelled");
        }
        return Optional.of(job + " that created it left no artifact for this disk");
    }
}
