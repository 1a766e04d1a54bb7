package io.cairn.bench;

import io.cairn.bench.CairnClient.Arrival;
import io.cairn.bench.CairnClient.Sent;
import io.cairn.bench.ResultTable.Row;
import io.cairn.events.topic.Topics;
import java.nio.file.Path;

/**
 * The data-plane rows: a full push backup of the whole disk and incrementals after the guest wrote 1 % of it, command
 * to backup-completed against the same copy done by QEMU alone (target created, blockdev-backup, job completed).
 */
final class DataPlane {
    private final BenchSettings settings;
    private final Bench bench;
    private final CairnClient cairn;
    private final QemuAlone qemu;
    private final String run;

    DataPlane(BenchSettings settings, Bench bench, CairnClient cairn, QemuAlone qemu, String run) {
        this.settings = settings;
        this.bench = bench;
        this.cairn = cairn;
        this.qemu = qemu;
        this.run = run;
    }

    void pushFullAndIncremental() {
        String device = qemu.disk().device();
        long size = qemu.disk().size();
        Samples cairnFull = new Samples();
        Samples qemuFull = new Samples();
        String cairnBase = null;
        String qemuBase = null;
        bench.status("push full of %d MiB, command → backup-completed, %d samples each side", size >> 20,
                settings.dataReps());
        for (int i = 0; i < settings.dataReps(); i++) {
            String checkpoint = "bench-" + run + "-f" + i;
            Path target = settings.workDir().resolve("full-" + run + "-" + i + ".qcow2");
            cairnFull.add(cairnBackup(ControlPlane.pushXml(device, target, null), checkpoint));
            QemuAlone.deleteQuietly(target);
            forget(cairnBase);
            cairnBase = checkpoint;
            String bitmap = "bench-qemu-" + run + "-f" + i;
            qemuFull.add(qemuBackup(settings.workDir().resolve("qfull-" + run + "-" + i + ".qcow2"), bitmap, null));
            if (qemuBase != null) {
                qemu.removeBitmap(qemuBase);
            }
            qemuBase = bitmap;
        }
        bench.row(new Row("push full %d MiB, command → backup-completed".formatted(size >> 20), cairnFull.summary(),
                qemuFull.summary(), ResultTable.ratio(cairnFull.medianMillis(), qemuFull.medianMillis()),
                "≤ 1.05× QEMU alone", ResultTable.met(cairnFull.medianMillis() <= 1.05 * qemuFull.medianMillis())));

        Samples cairnIncremental = new Samples();
        Samples qemuIncremental = new Samples();
        long dirty = size / 100;
        bench.status("push incremental after the guest wrote 1 %% (%d KiB in 8 places), %d samples each side",
                dirty >> 10, settings.dataReps());
        for (int i = 0; i < settings.dataReps(); i++) {
            writeOnePercent(i, size, dirty);
            String checkpoint = "bench-" + run + "-i" + i;
            Path target = settings.workDir().resolve("inc-" + run + "-" + i + ".qcow2");
            cairnIncremental.add(cairnBackup(ControlPlane.pushXml(device, target, cairnBase), checkpoint));
            QemuAlone.deleteQuietly(target);
            forget(cairnBase);
            cairnBase = checkpoint;
            String bitmap = "bench-qemu-" + run + "-i" + i;
            qemuIncremental.add(qemuBackup(settings.workDir().resolve("qinc-" + run + "-" + i + ".qcow2"), bitmap,
                    qemuBase));
            qemu.removeBitmap(qemuBase);
            qemuBase = bitmap;
        }
        bench.row(new Row("push incremental, 1 % dirty, command → backup-completed", cairnIncremental.summary(),
                qemuIncremental.summary(), ResultTable.ratio(cairnIncremental.medianMillis(),
                qemuIncremental.medianMillis()), "≤ 1.5× QEMU alone",
                ResultTable.met(cairnIncremental.medianMillis() <= 1.5 * qemuIncremental.medianMillis())));
        forget(cairnBase);
        qemu.removeBitmap(qemuBase);
    }

    /** 1 % of the disk in eight spread extents, a new pattern each round: what both incrementals then copy. */
    private void writeOnePercent(int round, long size, long dirty) {
        long piece = (dirty / 8) & ~0xFFFFL;
        for (int k = 0; k < 8; k++) {
            qemu.guestWrite(0x30 + round, (size / 8) * k + 65536L * round, piece);
        }
    }

    private long cairnBackup(String backupXml, String checkpoint) {
        Sent sent = cairn.send(Topics.BACKUP_COMMANDS, Bench.backupBegin(settings.domain(), backupXml, checkpoint));
        Arrival done = cairn.await(sent, Bench.STEP_WAIT, "backup-completed");
        if (!done.event().path("success").asBoolean()) {
            throw new BenchFailure("Cairn's backup failed: " + done.event());
        }
        return done.nanos() - sent.nanos();
    }

    private long qemuBackup(Path target, String bitmap, String incrementalFrom) {
        long start = System.nanoTime();
        String job = qemu.startPush(target, bitmap, incrementalFrom);
        qemu.finishPush(job, false);
        long elapsed = System.nanoTime() - start;
        QemuAlone.deleteQuietly(target);
        return elapsed;
    }

    /** The benchmark's old checkpoints go once a newer one is the base (not timed). */
    private void forget(String checkpoint) {
        if (checkpoint != null) {
            Sent sent = cairn.send(Topics.CHECKPOINT_COMMANDS, Bench.checkpointDelete(settings.domain(), checkpoint));
            cairn.await(sent, Bench.STEP_WAIT, "checkpoint-deleted");
        }
    }
}
