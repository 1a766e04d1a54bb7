package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.bench.CairnClient.Arrival;
import io.cairn.bench.CairnClient.Sent;
import io.cairn.bench.HopBreakdown.Traced;
import io.cairn.bench.ResultTable.Row;
import io.cairn.events.topic.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The control-plane rows: checkpoint create and delete, the lineage listed over REST, push and pull backup begin;
 * each sample alternates Cairn and QEMU alone, so both see the same machine at the same moment.
 */
final class ControlPlane {
    private static final double LIBVIRT_CREATE_MS = 16;
    private static final double LIBVIRT_BEGIN_MS = 36;

    private final BenchSettings settings;
    private final Bench bench;
    private final CairnClient cairn;
    private final QemuAlone qemu;
    private final HopBreakdown spans;
    private final String run;
    private final Rest rest;

    ControlPlane(BenchSettings settings, Bench bench, CairnClient cairn, QemuAlone qemu, HopBreakdown spans,
            String run) {
        this.settings = settings;
        this.bench = bench;
        this.cairn = cairn;
        this.qemu = qemu;
        this.spans = spans;
        this.run = run;
        this.rest = new Rest(settings.token());
    }

    private int warmup() {
        return Math.max(3, settings.reps() / 10);
    }

    void checkpointCreateAndDelete() {
        String domain = settings.domain();
        int total = warmup() + settings.reps();
        Samples cairnCreate = new Samples();
        Samples qemuCreate = new Samples();
        List<Traced> traced = new ArrayList<>();
        List<String> created = new ArrayList<>();
        bench.status("checkpoint.create → checkpoint-created, %d samples (+%d warm-up) each side", settings.reps(),
                warmup());
        for (int i = 0; i < total; i++) {
            String name = "bench-" + run + "-c" + i;
            Sent sent = cairn.send(Topics.CHECKPOINT_COMMANDS, Bench.checkpointCreate(domain, name));
            Arrival done = cairn.await(sent, Bench.STEP_WAIT, "checkpoint-created");
            created.add(name);
            long start = System.nanoTime();
            qemu.addBitmap("bench-qemu-" + run + "-c" + i);
            long qemuNanos = System.nanoTime() - start;
            if (i >= warmup()) {
                cairnCreate.add(done.nanos() - sent.nanos());
                qemuCreate.add(qemuNanos);
                traced.add(traced(sent, done));
            }
            bench.progress("checkpoint.create", i, total);
        }
        bench.row(new Row("checkpoint.create → checkpoint-created", cairnCreate.summary(), qemuCreate.summary(),
                ResultTable.ratio(cairnCreate.medianMillis(), qemuCreate.medianMillis()),
                "median ≤ libvirt (%.0f ms), p99 ≤ 50 ms".formatted(LIBVIRT_CREATE_MS),
                ResultTable.met(cairnCreate.medianMillis() <= LIBVIRT_CREATE_MS && cairnCreate.p99Millis() <= 50)));
        bench.detail("checkpoint.create, hop by hop:", spans.of(traced, Topics.CHECKPOINT_EVENTS,
                Duration.ofSeconds(20)));

        lineageList(created.size());

        Samples cairnDelete = new Samples();
        Samples qemuDelete = new Samples();
        traced.clear();
        bench.status("checkpoint.delete → checkpoint-deleted (leaves, newest first), %d samples each side", total);
        for (int i = total - 1; i >= 0; i--) {
            Sent sent = cairn.send(Topics.CHECKPOINT_COMMANDS, Bench.checkpointDelete(domain, created.get(i)));
            Arrival done = cairn.await(sent, Bench.STEP_WAIT, "checkpoint-deleted");
            long start = System.nanoTime();
            qemu.removeBitmap("bench-qemu-" + run + "-c" + i);
            long qemuNanos = System.nanoTime() - start;
            if (i < settings.reps()) {
                cairnDelete.add(done.nanos() - sent.nanos());
                qemuDelete.add(qemuNanos);
                traced.add(traced(sent, done));
            }
            bench.progress("checkpoint.delete", total - i, total);
        }
        bench.row(new Row("checkpoint.delete → checkpoint-deleted", cairnDelete.summary(), qemuDelete.summary(),
                ResultTable.ratio(cairnDelete.medianMillis(), qemuDelete.medianMillis()), "median ≤ 10 ms",
                ResultTable.met(cairnDelete.medianMillis() <= 10)));
        bench.detail("checkpoint.delete, hop by hop:", spans.of(traced, Topics.CHECKPOINT_EVENTS,
                Duration.ofSeconds(20)));
    }

    /** The domain's lineage over REST while it holds {@code checkpoints} checkpoints (the scale is not built). */
    private void lineageList(int checkpoints) {
        URI uri = URI.create(settings.checkpointUrl() + "/api/v1/domains/" + settings.domain() + "/checkpoints");
        Samples list = new Samples();
        for (int i = 0; i < warmup() + settings.reps(); i++) {
            long start = System.nanoTime();
            JsonNode body = rest.get(uri);
            long elapsed = System.nanoTime() - start;
            if (body.size() < checkpoints) {
                throw new BenchFailure("the lineage lists " + body.size() + " checkpoints, expected at least "
                        + checkpoints);
            }
            if (i >= warmup()) {
                list.add(elapsed);
            }
        }
        bench.row(new Row("lineage list (REST), %d checkpoints on one domain".formatted(checkpoints), list.summary(),
                "-", "-", "p99 ≤ 20 ms (issue: at 1,000 domains × 100)", ResultTable.met(list.p99Millis() <= 20)));
    }

    void backupBegin() {
        int total = warmup() + settings.reps() / 2;
        Samples cairnBegin = new Samples();
        Samples qemuBegin = new Samples();
        List<Traced> traced = new ArrayList<>();
        bench.status("backup.begin (push, full, new checkpoint) → backup-started, %d samples each side, each job "
                + "aborted once started", total - warmup());
        for (int i = 0; i < total; i++) {
            Path target = settings.workDir().resolve("begin-" + run + "-" + i + ".qcow2");
            String checkpoint = "bench-" + run + "-b" + i;
            Sent sent = cairn.send(Topics.BACKUP_COMMANDS, Bench.backupBegin(settings.domain(), pushXml(qemu.disk().device(), target, null),
                    checkpoint));
            Arrival started = cairn.await(sent, Bench.STEP_WAIT, "backup-started");
            abort(started);
            QemuAlone.deleteQuietly(target);

            Path qemuTarget = settings.workDir().resolve("qbegin-" + run + "-" + i + ".qcow2");
            long start = System.nanoTime();
            String job = qemu.startPush(qemuTarget, "bench-qemu-" + run + "-b" + i, null);
            long qemuNanos = System.nanoTime() - start;
            qemu.finishPush(job, true);
            qemu.removeBitmap("bench-qemu-" + run + "-b" + i);
            QemuAlone.deleteQuietly(qemuTarget);
            if (i >= warmup()) {
                cairnBegin.add(started.nanos() - sent.nanos());
                qemuBegin.add(qemuNanos);
                traced.add(traced(sent, started));
            }
            bench.progress("backup.begin", i, total);
        }
        bench.row(new Row("backup.begin (push, full, new checkpoint) → backup-started", cairnBegin.summary(),
                qemuBegin.summary(), ResultTable.ratio(cairnBegin.medianMillis(), qemuBegin.medianMillis()),
                "median ≤ libvirt (%.0f ms)".formatted(LIBVIRT_BEGIN_MS),
                ResultTable.met(cairnBegin.medianMillis() <= LIBVIRT_BEGIN_MS)));
        bench.detail("backup.begin (push), hop by hop:", spans.of(traced, Topics.BACKUP_EVENTS,
                Duration.ofSeconds(20)));
    }

    void pullBegin() {
        int total = 2 + Math.max(1, settings.reps() / 5);
        Samples cairnPull = new Samples();
        Samples qemuPull = new Samples();
        bench.status("pull backup.begin (full, new checkpoint) → export readable (nbdinfo), %d samples each side",
                total - 2);
        for (int i = 0; i < total; i++) {
            Path socket = settings.workDir().resolve("p" + i + ".sock");
            Sent sent = cairn.send(Topics.BACKUP_COMMANDS, Bench.backupBegin(settings.domain(),
                    "<domainbackup mode='pull'><server transport='unix' socket='" + socket + "'/></domainbackup>",
                    "bench-" + run + "-p" + i));
            Arrival started = cairn.await(sent, Bench.STEP_WAIT, "backup-started");
            Commands.run(List.of("nbdinfo", "--size", started.event().at("/nbd/exports/0/uri").asText()));
            long cairnNanos = System.nanoTime() - sent.nanos();
            abort(started);

            Path qemuSocket = settings.workDir().resolve("q" + i + ".sock");
            Path scratch = settings.workDir().resolve("qscratch-" + run + "-" + i + ".qcow2");
            long start = System.nanoTime();
            String uri = qemu.startPull(scratch, qemuSocket, "bench-qemu-" + run + "-p" + i);
            Commands.run(List.of("nbdinfo", "--size", uri));
            long qemuNanos = System.nanoTime() - start;
            qemu.endPull(scratch);
            qemu.removeBitmap("bench-qemu-" + run + "-p" + i);
            QemuAlone.deleteQuietly(scratch);
            QemuAlone.deleteQuietly(qemuSocket);
            if (i >= 2) {
                cairnPull.add(cairnNanos);
                qemuPull.add(qemuNanos);
            }
        }
        bench.row(new Row("pull backup.begin → export readable (nbdinfo)", cairnPull.summary(), qemuPull.summary(),
                ResultTable.ratio(cairnPull.medianMillis(), qemuPull.medianMillis()), "-", "-"));
    }

    /** backup.abort of the started job, and its backup-completed (the next sample must find the domain idle). */
    private void abort(Arrival started) {
        String jobId = started.event().path("jobId").asText();
        long since = System.nanoTime();
        cairn.send(Topics.BACKUP_COMMANDS, CairnClient.command("backup.abort", settings.domain()));
        cairn.awaitEvent(e -> "backup-completed".equals(e.path("type").asText())
                && jobId.equals(e.path("jobId").asText()), since - Duration.ofMinutes(1).toNanos(), Bench.STEP_WAIT,
                "backup-completed of aborted job " + jobId);
    }

    static String pushXml(String disk, Path target, String incrementalFrom) {
        return "<domainbackup mode='push'>" + (incrementalFrom == null ? "" : "<incremental>" + incrementalFrom
                + "</incremental>") + "<disks><disk name='" + disk + "' type='file'><target file='" + target
                + "'/><driver type='qcow2'/></disk></disks></domainbackup>";
    }

    private static Traced traced(Sent sent, Arrival done) {
        return new Traced(sent.traceId(), sent.epochMicros(), sent.epochMicros() + (done.nanos() - sent.nanos())
                / 1000);
    }
}
