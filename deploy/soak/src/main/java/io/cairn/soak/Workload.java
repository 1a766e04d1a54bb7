package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.topic.Topics;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mixed workload, as a user's backup orchestrator would run it from outside: one actor per VM doing one thing at a
 * time (guest writes; push and pull backups, full and incremental from the domain's newest checkpoint, most creating
 * the next checkpoint; reading a pull export; aborts; checkpoint.create and checkpoint.delete; an abort of nothing),
 * each command sent once, twice, or to Kafka and REST at the same moment. Every wait is bounded: an actor that gives
 * up on an outcome moves on, and the settle phase and the final checks look at that command again.
 */
final class Workload {
    static final Duration OUTCOME_WAIT = Duration.ofSeconds(150);
    static final Duration JOB_WAIT = Duration.ofSeconds(90);
    private static final Pattern SEQ = Pattern.compile(".*-c(\\d+)$");
    private static final long CHUNK = 64 << 10;

    private final Soak soak;
    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Set<String> reportedFailed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    final Tally actions = new Tally();

    Workload(Soak soak) {
        this.soak = soak;
    }

    void start(long seed) {
        int i = 0;
        for (SoakVm vm : soak.fleet().vms()) {
            Random random = new Random(seed * 31 + i++);
            Thread thread = new Thread(() -> new Actor(vm, random).run(), "soak-actor-" + vm.domain());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Asks every actor to stop after what it is doing, and waits (bounded) until they have. */
    void stop(Duration wait) {
        stopping = true;
        long deadline = System.currentTimeMillis() + wait.toMillis();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean allStopped() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    long nextSeq() {
        return sequence.incrementAndGet();
    }

    /** A checkpoint as checkpoint-service lists it. */
    record Cp(String name, String parent, boolean healthy, long seq) {
    }

    /** The domain's lineage from checkpoint-service's REST API, or null when it does not answer. */
    static List<Cp> lineage(Soak soak, String domain) {
        JsonNode list = soak.rest().json(soak.fleet().checkpointService().url() + "/api/v1/domains/" + domain
                + "/checkpoints");
        if (list == null || !list.isArray()) {
            return null;
        }
        List<Cp> lineage = new ArrayList<>();
        for (JsonNode view : list) {
            String name = view.at("/checkpoint/name").asText();
            Matcher m = SEQ.matcher(name);
            lineage.add(new Cp(name, view.at("/checkpoint/parent").asText(null),
                    !"broken".equalsIgnoreCase(view.path("health").asText("active")),
                    m.matches() ? Long.parseLong(m.group(1)) : -1));
        }
        return lineage;
    }

    private final class Actor {
        private final SoakVm vm;
        private final Random random;
        private final String domain;

        Actor(SoakVm vm, Random random) {
            this.vm = vm;
            this.random = random;
            this.domain = vm.domain();
        }

        void run() {
            while (!stopping && !soak.aborted()) {
                Tools.sleep(300 + random.nextInt(2200));
                if (stopping) {
                    break;
                }
                double r = random.nextDouble();
                try {
                    if (r < 0.26) {
                        guestWrites(1 + random.nextInt(4));
                    } else if (r < 0.61) {
                        backup(false);
                    } else if (r < 0.76) {
                        backup(true);
                    } else if (r < 0.82) {
                        checkpointCreate();
                    } else if (r < 0.95) {
                        checkpointDelete();
                    } else {
                        strayAbort();
                    }
                } catch (RuntimeException e) {
                    soak.say("actor " + domain + ": " + e);
                    soak.violations().note("actor " + domain + " hit an error in the soak itself: " + e);
                }
            }
        }

        private Ledger.Channel channel() {
            double r = random.nextDouble();
            return r < 0.12 ? Ledger.Channel.KAFKA_TWICE : r < 0.26 ? Ledger.Channel.KAFKA_AND_REST
                    : Ledger.Channel.KAFKA;
        }

        private void guestWrites(int count) {
            for (int i = 0; i < count; i++) {
                QemuDisk disk = vm.disks().get(random.nextInt(vm.disks().size()));
                long chunks = disk.sizeBytes() / CHUNK;
                long length = (1 + random.nextInt(16)) * CHUNK;
                long offset = (long) random.nextInt((int) (chunks - length / CHUNK)) * CHUNK;
                PatternWrite write = new PatternWrite(1 + random.nextInt(255), offset, length);
                long since = System.currentTimeMillis();
                if (!vm.write(disk.deviceId(), write, () -> soak.aborted()
                        || System.currentTimeMillis() - since > 240_000)) {
                    soak.violations().note(domain + ": a guest write could not be made in 4 min; from then on "
                            + "this VM's backups are not compared with the guest model");
                    return;
                }
                actions.add("guest writes");
            }
        }

        private Ledger.Command send(String topic, ObjectNode command, Supplier<Rest.Answer> rest) {
            return soak.commands().send(topic, command, channel(), rest, random, false);
        }

        private EventLog.Seen awaitOutcome(Ledger.Command command, String success) {
            if (!command.accepted()) {
                return null;
            }
            return soak.events().awaitForCommand(command.id, s -> s.type().equals(success)
                    || s.type().equals("command-rejected"), OUTCOME_WAIT);
        }

        private String checkpointName() {
            return domain + "-c" + nextSeq();
        }

        private void backup(boolean pull) {
            List<Cp> lineage = lineage(soak, domain);
            String base = null;
            if (lineage != null && !lineage.isEmpty()) {
                Cp newest = lineage.stream().max(Comparator.comparingLong(Cp::seq)).orElseThrow();
                if (newest.healthy()) {
                    boolean checkable = soak.verifier().hasRestorePoint(domain, newest.name());
                    if (random.nextDouble() < (checkable ? 0.75 : 0.3)) {
                        base = newest.name();
                    }
                }
            }
            String checkpoint = random.nextDouble() < 0.85 ? checkpointName() : null;
            long seq = nextSeq();
            Map<String, Path> stores = new LinkedHashMap<>();
            StringBuilder disks = new StringBuilder("<disks>");
            for (QemuDisk disk : vm.disks()) {
                Path store = vm.targetsDir().resolve(disk.deviceId() + "." + seq + (pull ? ".scratch" : "")
                        + ".qcow2");
                stores.put(disk.deviceId(), store);
                disks.append("<disk name='").append(disk.deviceId()).append("' backup='yes' type='file'>")
                        .append(pull ? "<scratch file='" : "<target file='").append(store).append("'/>")
                        .append("<driver type='qcow2'/></disk>");
            }
            disks.append("</disks>");
            Path socket = pull ? vm.targetsDir().resolve("n" + seq + ".sock") : null;
            String xml = "<domainbackup mode='" + (pull ? "pull" : "push") + "'>"
                    + (base == null ? "" : "<incremental>" + base + "</incremental>")
                    + (pull ? "<server transport='unix' socket='" + socket + "'/>" : "") + disks + "</domainbackup>";
            String checkpointXml = checkpoint == null ? null
                    : "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>";
            ObjectNode command = soak.commands().command("backup.begin", domain).put("backupXml", xml);
            ObjectNode restBody = soak.json().createObjectNode().put("backupXml", xml);
            if (checkpointXml != null) {
                command.put("checkpointXml", checkpointXml);
                restBody.put("checkpointXml", checkpointXml);
            }
            String id = command.get("commandId").asText();
            long snapshot = vm.model().count();
            Ledger.Command sent = send(Topics.BACKUP_COMMANDS, command, () -> soak.rest().post(
                    soak.fleet().backupService().url() + "/api/v1/domains/" + domain + "/backup", "application/json",
                    restBody.toString(), id));
            Ledger.Backup backup = new Ledger.Backup(sent, vm, pull ? "pull" : "push", base, checkpoint, stores,
                    socket, snapshot);
            backup.snapshotKnown = !vm.modelLost;
            soak.ledger().backup(backup);
            actions.add((pull ? "pull " : "push ") + (base == null ? "full" : "incremental"));
            EventLog.Seen outcome = awaitOutcome(sent, "backup-started");
            if (outcome == null) {
                // Not started in time: the guest writes on, so this backup's point in time is no longer known.
                backup.snapshotKnown = false;
                return;
            }
            if (!outcome.type().equals("backup-started")) {
                return;
            }
            backup.jobId = outcome.jobId();
            backup.started = outcome.event();
            backup.startedAt = outcome.atMillis();
            if (!pull) {
                if (random.nextDouble() < 0.4) {
                    guestWrites(1 + random.nextInt(3)); // copy-before-write while the job runs
                }
                boolean abort = random.nextDouble() < 0.2;
                if (abort) {
                    Tools.sleep(random.nextInt(2000));
                    abort(backup);
                    if (random.nextDouble() < 0.3) {
                        abort(backup); // a second abort of the same job: refused, or answered by the completion
                    }
                }
                finish(backup, false);
            } else {
                if (random.nextDouble() < 0.5) {
                    guestWrites(1 + random.nextInt(3)); // the export must still show the point in time
                }
                if (random.nextDouble() < 0.85) {
                    readPull(backup);
                }
                abort(backup);
                if (random.nextDouble() < 0.1) {
                    abort(backup);
                }
                finish(backup, true);
            }
        }

        /** Waits for the job's backup-completed; a pull job not ended after its abort gets another abort (3 at most). */
        private void finish(Ledger.Backup backup, boolean abortAgain) {
            for (int attempt = 0; attempt < 3; attempt++) {
                EventLog.Seen done = soak.events().awaitForJob(backup.jobId,
                        s -> s.type().equals("backup-completed"), JOB_WAIT);
                if (done != null) {
                    backup.completed = done.event();
                    backup.completedAt = done.atMillis();
                    if (backup.succeeded()) {
                        soak.verifier().submit(backup);
                    }
                    return;
                }
                if (!abortAgain || stopping || soak.aborted()) {
                    return;
                }
                abort(backup);
            }
        }

        private void abort(Ledger.Backup backup) {
            ObjectNode command = soak.commands().command("backup.abort", domain);
            String id = command.get("commandId").asText();
            Ledger.Command sent = send(Topics.BACKUP_COMMANDS, command, () -> soak.rest().delete(
                    soak.fleet().backupService().url() + "/api/v1/domains/" + domain + "/backup", id));
            if (backup != null) {
                backup.aborts.add(id);
                actions.add("abort of a running job");
            } else {
                soak.ledger().strayAbort(id);
            }
        }

        /** Reads the whole export of every disk (the point-in-time view) and checks the dirty map of an incremental. */
        private void readPull(Ledger.Backup backup) {
            JsonNode nbd = backup.started.path("nbd");
            String server = nbd.at("/server/socket").asText(backup.socket.toString());
            for (JsonNode export : nbd.path("exports")) {
                String disk = export.path("disk").asText();
                Path image = soak.restoreDir().resolve(domain).resolve("pull-" + backup.jobId + "-" + disk
                        + ".qcow2");
                try {
                    Files.createDirectories(image.getParent());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Tools.Result read = Tools.run(List.of("qemu-img", "convert", "-q", "-O", "qcow2", "--image-opts",
                        "driver=raw,file.driver=nbd,file.server.type=unix,file.server.path=" + server
                                + ",file.export=" + export.path("exportName").asText(), image.toString()), 180);
                if (!read.ok()) {
                    backup.pullReadError = disk + ": " + read.output().strip();
                    backup.pulled.clear();
                    actions.add("pull export read failed");
                    return;
                }
                backup.pulled.put(disk, image);
                if (backup.base != null && export.hasNonNull("bitmapContext")) {
                    checkDirtyMap(backup, disk, export);
                }
            }
            actions.add("pull export read");
        }

        /** Every guest write since the base checkpoint must be in the export's dirty map. */
        private void checkDirtyMap(Ledger.Backup backup, String disk, JsonNode export) {
            Ledger.Checkpoint base = soak.ledger().checkpoint(backup.base);
            if (base == null || base.snapshot() < 0 || !backup.snapshotKnown) {
                return;
            }
            Tools.Result map = Tools.run(List.of("nbdinfo", "--json", "--map=" + export.path("bitmapContext")
                    .asText(), export.path("uri").asText()), 60);
            if (!map.ok()) {
                soak.violations().note("nbdinfo --map on " + export.path("uri").asText() + " failed: "
                        + map.output().strip());
                return;
            }
            List<long[]> dirty = new ArrayList<>();
            try {
                for (JsonNode extent : soak.json().readTree(map.output())) {
                    if ((extent.path("type").asInt() & 1) != 0) {
                        dirty.add(new long[] {extent.path("offset").asLong(), extent.path("length").asLong()});
                    }
                }
            } catch (java.io.IOException e) {
                soak.violations().note("unreadable nbdinfo map: " + map.output());
                return;
            }
            soak.dirtyMapsChecked().incrementAndGet();
            for (GuestModel.Write w : vm.model().between(base.snapshot(), backup.snapshot, disk)) {
                if (!covered(dirty, w.write().offset(), w.write().length())) {
                    soak.violations().add(Violations.RESTORE, "the dirty map of incremental pull " + backup + " on "
                            + disk + " misses guest write #" + w.seq() + " (" + w.write().qemuIoCommand()
                            + ") made after " + backup.base + "; dirty extents: " + describe(dirty));
                    return;
                }
            }
        }

        private void checkpointCreate() {
            String name = checkpointName();
            String xml = "<domaincheckpoint><name>" + name + "</name></domaincheckpoint>";
            ObjectNode command = soak.commands().command("checkpoint.create", domain).put("checkpointXml", xml);
            String id = command.get("commandId").asText();
            long snapshot = vm.model().count();
            Ledger.Command sent = send(Topics.CHECKPOINT_COMMANDS, command, () -> soak.rest().post(
                    soak.fleet().checkpointService().url() + "/api/v1/domains/" + domain + "/checkpoints",
                    "application/xml", xml, id));
            actions.add("checkpoint create");
            EventLog.Seen outcome = awaitOutcome(sent, "checkpoint-created");
            soak.ledger().checkpoint(new Ledger.Checkpoint(name, domain, sent, null,
                    outcome == null || vm.modelLost ? -1 : snapshot));
        }

        private void checkpointDelete() {
            List<Cp> lineage = lineage(soak, domain);
            if (lineage == null) {
                return;
            }
            checkFailedBackupCheckpoints(lineage);
            String name;
            List<Cp> broken = lineage.stream().filter(cp -> !cp.healthy()).toList();
            if (!broken.isEmpty()) {
                name = broken.get(random.nextInt(broken.size())).name();
            } else if (random.nextDouble() < 0.1) {
                name = domain + "-missing" + nextSeq(); // rejected: no such checkpoint
            } else if (lineage.size() >= 2 || (lineage.size() == 1 && random.nextDouble() < 0.1)) {
                long newest = lineage.stream().mapToLong(Cp::seq).max().orElse(-1);
                List<Cp> older = lineage.stream().filter(cp -> cp.seq() != newest || random.nextDouble() < 0.05)
                        .toList();
                if (older.isEmpty()) {
                    return;
                }
                name = older.get(random.nextInt(older.size())).name();
            } else {
                return;
            }
            ObjectNode command = soak.commands().command("checkpoint.delete", domain).put("checkpoint", name);
            String id = command.get("commandId").asText();
            soak.ledger().deleteTarget(id, name);
            Ledger.Command sent = send(Topics.CHECKPOINT_COMMANDS, command, () -> soak.rest().delete(
                    soak.fleet().checkpointService().url() + "/api/v1/domains/" + domain + "/checkpoints/" + name,
                    id));
            actions.add(broken.isEmpty() ? "checkpoint delete" : "checkpoint delete (broken)");
            awaitOutcome(sent, "checkpoint-deleted");
        }

        /**
         * Live check of (4), before the soak deletes anything: a checkpoint whose backup failed (or whose begin was
         * rejected) two minutes ago or more must be gone from the lineage by now.
         */
        private void checkFailedBackupCheckpoints(List<Cp> lineage) {
            long now = System.currentTimeMillis();
            for (Cp cp : lineage) {
                Ledger.Checkpoint origin = soak.ledger().checkpoint(cp.name());
                if (origin == null || origin.backup() == null || reportedFailed.contains(cp.name())) {
                    continue;
                }
                Ledger.Command begin = origin.command();
                EventLog.Seen rejected = soak.events().forCommand(begin.id).stream()
                        .filter(s -> s.type().equals("command-rejected")).findFirst().orElse(null);
                EventLog.Seen failed = null;
                if (origin.backup().jobId != null) {
                    failed = soak.events().forJob(origin.backup().jobId).stream().filter(s -> s.type().equals(
                            "backup-completed") && !s.event().path("success").asBoolean()).findFirst().orElse(null);
                }
                EventLog.Seen ended = rejected != null ? rejected : failed;
                if (ended != null && now - ended.atMillis() > 120_000) {
                    reportedFailed.add(cp.name());
                    soak.violations().add(Violations.BACKUP_CHECKPOINTS, "checkpoint " + cp.name() + " of " + domain
                            + " is still in the lineage " + (now - ended.atMillis()) / 1000 + " s after its backup "
                            + (rejected != null ? "was rejected (" + rejected.event().at("/error/code").asText() + ")"
                            : "ended " + failed.event().path("status").asText() + " success=false") + "; "
                            + origin.backup() + " (seen while choosing a checkpoint to delete)");
                }
            }
        }

        private void strayAbort() {
            abort(null);
            actions.add("abort with no job");
        }
    }

    private static boolean covered(List<long[]> dirty, long offset, long length) {
        long at = offset;
        long end = offset + length;
        boolean progress = true;
        while (at < end && progress) {
            progress = false;
            for (long[] extent : dirty) {
                if (extent[0] <= at && at < extent[0] + extent[1]) {
                    at = extent[0] + extent[1];
                    progress = true;
                }
            }
        }
        return at >= end;
    }

    private static String describe(List<long[]> dirty) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < dirty.size() && i < 12; i++) {
            text.append(dirty.get(i)[0]).append('+').append(dirty.get(i)[1]).append(' ');
        }
        return text.append(dirty.size() > 12 ? "..." : "").toString().strip();
    }
}
