package io.cairn.agent.retention;

import io.cairn.agent.operation.AgentErrors;
import io.cairn.events.agent.ApplyRetentionRequest;
import io.cairn.events.agent.ArtifactDeleteOrder;
import io.cairn.events.agent.ArtifactMergeOrder;
import io.cairn.events.agent.MergedFile;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One retention run on its worker thread: the merge steps in the given order (each one's base chain assumes the
 * earlier ones were applied), then the deletions, a report after each step. It stops at the first failure: a later
 * step may need the failed one, and every deletion assumes all merges are done.
 */
final class RetentionRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(RetentionRun.class);

    private final String hostId;
    private final ApplyRetentionRequest request;
    private final List<Deletion> deletions;
    private final io.cairn.agent.storage.StoragePolicy storage;
    private final ChainMerge merge;
    private final RetentionReportSink sink;
    private final Runnable onEnd;
    private final List<MergedFile> merged = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private long sequence;
    private boolean ended;

    /** A file to delete, as the request named it and as confined (null: gone already). */
    record Deletion(ArtifactDeleteOrder order, Path confined) {
    }

    RetentionRun(String hostId, ApplyRetentionRequest request, List<Deletion> deletions,
            io.cairn.agent.storage.StoragePolicy storage, ChainMerge merge, RetentionReportSink sink, Runnable onEnd) {
        this.hostId = hostId;
        this.request = request;
        this.deletions = List.copyOf(deletions);
        this.storage = storage;
        this.merge = merge;
        this.sink = sink;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try {
            for (ArtifactMergeOrder order : request.merges()) {
                MergedArtifact result = merge.merge(request.domain(), order.disk(), Path.of(order.successor()),
                        Path.of(order.expired()), order.base().stream().map(Path::of).toList());
                synchronized (this) {
                    merged.add(new MergedFile(order.disk(), order.successor(),
                            result.backing() == null ? null : result.backing().toString(), result.size(),
                            result.sha256()));
                }
                report(RestoreJobState.RUNNING, null);
            }
            for (Deletion deletion : deletions) {
                delete(deletion);
                synchronized (this) {
                    deleted.add(deletion.order().path());
                }
            }
            report(RestoreJobState.COMPLETED, null);
        } catch (RuntimeException e) {
            CairnException failure = AgentErrors.toCairn(e);
            LOG.errorf("retention run %s of %s failed after %d merge(s) and %d deletion(s): %s", request.runId(),
                    request.domain(), merged.size(), deleted.size(), failure.getMessage());
            report(RestoreJobState.FAILED, failure.toErrorInfo());
        } finally {
            onEnd.run();
        }
    }

    /**
     * Gone already counts as done: the file was deleted by an earlier run whose report was lost. Confined again
     * right before (the run may have waited in the queue and merged for a long time since it was accepted), so a
     * directory swapped for a symlink meanwhile cannot lead the delete elsewhere.
     */
    private void delete(Deletion deletion) {
        if (deletion.confined() == null) {
            return;
        }
        Path confined = storage.checkArtifactToDelete(deletion.order().path(), request.domain(),
                deletion.order().disk()).map(artifact -> artifact.path()).orElse(null);
        if (confined == null) {
            return;
        }
        try {
            Files.deleteIfExists(confined);
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR, "cannot delete artifact '%s' of disk '%s': %s"
                    .formatted(deletion.order().path(), deletion.order().disk(), e.getMessage()), e);
        }
    }

    /** A sign of life while a long step (or the queue) keeps the run from reporting: what is done so far. */
    void heartbeat() {
        report(RestoreJobState.RUNNING, null);
    }

    private void report(RestoreJobState state, ErrorInfo error) {
        RetentionJobReport report;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = state.isTerminal();
            report = new RetentionJobReport(request.runId(), hostId, request.domain(), ++sequence, state,
                    List.copyOf(merged), List.copyOf(deleted), error, Instant.now());
        }
        sink.publish(report);
    }
}
