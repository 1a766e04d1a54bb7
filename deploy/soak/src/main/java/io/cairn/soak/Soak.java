package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault soak: the real system (packaged services, two host agents, guest-less QEMUs, a private broker and
 * database) under a mixed workload from outside while faults are injected at random; then everything settles and the
 * invariants are checked. Prints status lines as it goes and a table at the end (also written to
 * {@code <output>/<run>.txt}); exit code 0 only when no invariant was violated and the soak itself ran through.
 */
public final class Soak {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final SoakSettings settings;
    private final PrintStream out;
    private final long t0 = System.currentTimeMillis();
    private final String runId = LocalDateTime.now().format(RUN_ID);
    private final Path runDir;
    private final Ledger ledger = new Ledger();
    private final Rest rest = new Rest();
    private final Violations violations;
    private final AtomicInteger dirtyMapsChecked = new AtomicInteger();
    private final Map<String, Set<String>> liveOutcomes = new HashMap<>();
    private final AtomicInteger liveDuplicates = new AtomicInteger();
    private final Tally brokenSeen = new Tally();
    /** domain/checkpoint of the broken checkpoints the settle deleted: still "in the lineage" for check (4). */
    private final Set<String> settleDeleted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService inspector = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "soak-broken-inspector");
                thread.setDaemon(true);
                return thread;
            });
    private Fleet fleet;
    private EventLog events;
    private CommandClient commands;
    private Verifier verifier;
    private Workload workload;
    private Faults faults;
    private volatile String failure;
    private long workloadStart;
    private long workloadEnd;
    private long settleEnd;
    private String settleSummary = "";

    public Soak(SoakSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.runDir = settings.outputDir().resolve(runId);
        this.violations = new Violations(this::say);
    }

    public static void main(String[] args) {
        Path stateDir = Path.of(System.getenv().getOrDefault("CAIRN_STATE_DIR", ".cairn"));
        SoakSettings settings;
        try {
            settings = SoakSettings.parse(args, stateDir);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new Soak(settings, System.out).run());
    }

    /** Runs the whole soak; 0 when every invariant held, 1 otherwise (or when the soak could not run through). */
    public int run() {
        Thread cleanup = new Thread(this::stopEverything, "soak-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path report = settings.outputDir().resolve(runId + ".txt");
        try {
            Files.createDirectories(runDir);
            say(String.format(Locale.ROOT, "fault soak %s: %.1f min of workload and faults (a fault every ~%d s), "
                    + "then settle and check; seed %d; output %s", runId, settings.workload().toMillis() / 60000.0,
                    settings.faultInterval().toSeconds(), settings.seed(), report));
            fleet = new Fleet(settings, runDir, this::say);
            fleet.start();
            events = new EventLog(fleet.bootstrap(), List.of(Topics.CHECKPOINT_EVENTS, Topics.BACKUP_EVENTS));
            events.onEvent(this::watchOutcome);
            events.onEvent(seen -> {
                if (seen.type().equals("checkpoint-broken")) {
                    inspector.submit(() -> inspectBroken(seen));
                }
            });
            commands = new CommandClient(fleet.bootstrap(), ledger, runId.replace("-", ""));
            verifier = new Verifier(restoreDir(), violations);
            workload = new Workload(this);
            Duration quietTail = Faults.quietTail(settings.workload());
            faults = new Faults(this, new Random(settings.seed()), settings.faultInterval(),
                    settings.workload().minus(quietTail));
            say("workload and faults start now; no fault starts in the last " + quietTail.toSeconds() + " s"
                    + (fleet.storageNote().isEmpty() ? "" : " (" + fleet.storageNote() + ")"));
            workloadStart = System.currentTimeMillis();
            workload.start(settings.seed());
            faults.start();
            long[] nextStatus = {0};
            // The workload's length is the point; a failure ends it early.
            Tools.until(settings.workload(), Duration.ofMillis(500), () -> {
                if (System.currentTimeMillis() >= nextStatus[0]) {
                    status("running");
                    nextStatus[0] = System.currentTimeMillis() + 20_000;
                }
                return failure != null;
            });
            workloadEnd = System.currentTimeMillis();
            say("workload time is up: no new faults; the fault under way is undone, the actors finish what they do");
            faults.stop(Duration.ofMinutes(6));
            workload.stop(Duration.ofMinutes(8));
            if (!workload.allStopped()) {
                violations.note("some actors were still waiting when the settle began (their waits are bounded)");
            }
            if (failure == null) {
                settle();
                say("checking the invariants");
                Checks checks = new Checks(this);
                checks.run();
                String table = new Report(this, checks).render();
                out.println();
                out.println(table);
                Files.writeString(report, table);
                say("report written to " + report + "; logs in " + runDir.resolve("logs"));
            }
        } catch (Throwable e) {
            fail("the soak itself failed: " + e);
            e.printStackTrace(out);
        } finally {
            if (failure != null) {
                String text = "SOAK DID NOT RUN THROUGH: " + failure + System.lineSeparator()
                        + "(violations found before that: " + violations.total() + ")" + System.lineSeparator();
                out.println(text);
                try {
                    Files.createDirectories(report.getParent());
                    Files.writeString(report, text);
                } catch (IOException ignored) {
                    // printed above
                }
            }
            stopEverything();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is already going down: the hook runs
            }
        }
        return failure == null && violations.total() == 0 ? 0 : 1;
    }

    /** Settle: every process up, every outcome in, every job ended, broken checkpoints deleted, then quiet. */
    private void settle() {
        long start = System.currentTimeMillis();
        say("settling: waiting for every accepted command's outcome and every job's end (at most "
                + settings.settleLimit().toMinutes() + " min)");
        ensureEverythingUp();
        long deadline = start + settings.settleLimit().toMillis();
        Map<String, Long> lastAbort = new HashMap<>();
        long[] nextStatus = {0};
        boolean settled = Tools.until(Duration.ofMillis(deadline - System.currentTimeMillis()), Duration.ofSeconds(3),
                () -> settledOrNudged(start, lastAbort, nextStatus));
        if (!settled) {
            say("settle limit reached: " + unanswered().size() + " commands without outcome, " + unended().size()
                    + " jobs not ended, active on " + activeDomains());
        }
        deleteBrokenCheckpoints();
        // Quiet: no new event for 20 s, and the agents' reconciler (every 60 s) has had its turn since the last fault.
        long lastFault = faults.injected().stream().mapToLong(Faults.Injected::endMillis).max().orElse(start);
        Tools.until(Duration.ofMinutes(3), Duration.ofSeconds(1), () -> System.currentTimeMillis()
                - events.lastEventAt() >= 20_000 && System.currentTimeMillis() - lastFault >= 90_000);
        for (Ledger.Backup backup : ledger.backups()) {
            if (backup.jobId == null) {
                events.forCommand(backup.begin.id).stream().filter(s -> s.type().equals("backup-started"))
                        .findFirst().ifPresent(s -> {
                            backup.jobId = s.jobId();
                            backup.started = s.event();
                            backup.startedAt = s.atMillis();
                        });
            }
            if (backup.jobId != null && backup.completed == null) {
                events.forJob(backup.jobId).stream().filter(s -> s.type().equals("backup-completed")).findFirst()
                        .ifPresent(s -> {
                            backup.completed = s.event();
                            backup.completedAt = s.atMillis();
                        });
            }
            if (backup.succeeded()) {
                verifier.submit(backup);
            }
        }
        say("settle: waiting for the restore checks still queued");
        verifier.drain(900);
        settleEnd = System.currentTimeMillis();
        settleSummary = String.format(Locale.ROOT, "%.1f min", (settleEnd - start) / 60000.0);
        say("settled in " + settleSummary);
    }

    /** The user's duty after a crash (events-schema README): delete the checkpoints Cairn reports broken. */
    private void deleteBrokenCheckpoints() {
        for (SoakVm vm : fleet.vms()) {
            List<Workload.Cp> lineage = Workload.lineage(this, vm.domain());
            if (lineage == null) {
                violations.note("settle: the lineage of " + vm.domain() + " could not be read to delete broken "
                        + "checkpoints");
                continue;
            }
            for (Workload.Cp cp : lineage) {
                if (cp.healthy()) {
                    continue;
                }
                ObjectNode delete = commands.command("checkpoint.delete", vm.domain()).put("checkpoint", cp.name());
                ledger.deleteTarget(delete.get("commandId").asText(), cp.name());
                Ledger.Command sent = commands.send(Topics.CHECKPOINT_COMMANDS, delete, Ledger.Channel.KAFKA, null,
                        new Random(), true);
                EventLog.Seen outcome = events.awaitForCommand(sent.id, s -> s.type().equals("checkpoint-deleted")
                        || s.type().equals("command-rejected"), Workload.OUTCOME_WAIT);
                settleDeleted.add(vm.domain() + "/" + cp.name());
                say("settle: deleted broken checkpoint " + cp.name() + " of " + vm.domain() + ": "
                        + (outcome == null ? "no outcome" : outcome.type()));
            }
        }
    }

    private void ensureEverythingUp() {
        for (SoakService service : List.of(fleet.checkpointService(), fleet.backupService())) {
            if (!service.alive()) {
                say("settle: " + service.module() + " is not running; starting it");
                service.start();
            }
        }
        for (Map.Entry<String, AgentProcess> agent : fleet.agents().entrySet()) {
            if (ProcessHandle.of(agent.getValue().pid()).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            say("settle: " + agent.getKey() + " is not running; starting it");
            agent.getValue().restart();
        }
        for (SoakVm vm : fleet.vms()) {
            if (!vm.alive()) {
                say("settle: QEMU of " + vm.domain() + " is not running; starting it");
                vm.restartAfterCrash();
            }
        }
        try {
            fleet.freeStorage();
        } catch (IOException e) {
            violations.note("could not free the filled storage: " + e.getMessage());
        }
    }

    /** Accepted commands without their outcome yet (per the live feed). */
    /** One look during the settle: true once everything has its outcome; meanwhile reports and ends stuck jobs. */
    private boolean settledOrNudged(long start, Map<String, Long> lastAbort, long[] nextStatus) {
        List<Ledger.Command> waiting = unanswered();
        List<Ledger.Backup> running = unended();
        List<String> active = activeDomains();
        if (waiting.isEmpty() && running.isEmpty() && active.isEmpty()) {
            return true;
        }
        if (System.currentTimeMillis() >= nextStatus[0]) {
            say(String.format(Locale.ROOT, "settle: %d commands without outcome, %d jobs not ended, jobs active "
                    + "on %s", waiting.size(), running.size(), active));
            nextStatus[0] = System.currentTimeMillis() + 15_000;
        }
        // A job that still runs a minute into the settle (a pull whose reader gave up) is ended as a user would.
        for (String domain : active) {
            long last = lastAbort.getOrDefault(domain, start);
            if (System.currentTimeMillis() - last > 60_000) {
                ObjectNode abort = commands.command("backup.abort", domain);
                commands.send(Topics.BACKUP_COMMANDS, abort, Ledger.Channel.KAFKA, null, new Random(), true);
                say("settle: backup.abort of the job still active on " + domain);
                lastAbort.put(domain, System.currentTimeMillis());
            }
        }
        return false;
    }

    private List<Ledger.Command> unanswered() {
        List<Ledger.Command> waiting = new ArrayList<>();
        for (Ledger.Command command : ledger.commands()) {
            if (!command.accepted()) {
                continue;
            }
            Set<String> types = Checks.outcomeTypes(command.type);
            String topic = Checks.topicOf(command.type);
            if (events.forCommand(command.id).stream().noneMatch(s -> s.topic().equals(topic)
                    && types.contains(s.type()))) {
                waiting.add(command);
            }
        }
        return waiting;
    }

    /** Started jobs without their backup-completed yet. */
    private List<Ledger.Backup> unended() {
        List<Ledger.Backup> running = new ArrayList<>();
        for (Ledger.Backup backup : ledger.backups()) {
            String jobId = events.forCommand(backup.begin.id).stream().filter(s -> s.type().equals("backup-started"))
                    .map(EventLog.Seen::jobId).findFirst().orElse(null);
            if (jobId != null && events.forJob(jobId).stream().noneMatch(s -> s.type().equals("backup-completed"))) {
                running.add(backup);
            }
        }
        return running;
    }

    /** Domains with a backup job backup-service still holds active (GET .../backup answers 200). */
    private List<String> activeDomains() {
        List<String> active = new ArrayList<>();
        for (SoakVm vm : fleet.vms()) {
            Rest.Answer answer = rest.getAny(fleet.backupService().url() + "/api/v1/domains/" + vm.domain()
                    + "/backup");
            if (answer == null || answer.status() == 200) {
                active.add(vm.domain() + (answer == null ? "(no answer)" : ""));
            }
        }
        return active;
    }

    /**
     * Live check of (3) from Cairn's side: a checkpoint-broken must agree with QEMU. The soak asks QEMU at once whether
     * the bitmap Cairn calls missing (or inconsistent) is really missing (or inconsistent). Right after a QEMU crash
     * the agent may see QEMU before its disks are open, so a disagreement within 2 minutes of a crash is only noted.
     */
    private void inspectBroken(EventLog.Seen seen) {
        String domain = seen.event().path("domain").asText();
        String checkpoint = seen.event().path("checkpoint").asText();
        SoakVm vm = fleet.vms().stream().filter(v -> v.domain().equals(domain)).findFirst().orElse(null);
        if (vm == null) {
            return;
        }
        boolean afterCrash = vm.crashedWithin(seen.atMillis() - 120_000, seen.atMillis());
        boolean deleting = ledger.commands().stream().anyMatch(c -> c.type.equals("checkpoint.delete")
                && c.domain.equals(domain) && c.sentAt <= seen.atMillis() && checkpoint.equals(ledger.deleteTarget(
                c.id)) && events.forCommand(c.id).stream().noneMatch(e -> e.atMillis() < seen.atMillis()
                && Checks.outcomeTypes(c.type).contains(e.type())));
        Ledger.Command rejectedDelete = ledger.commands().stream().filter(c -> c.type.equals("checkpoint.delete")
                && c.domain.equals(domain) && c.sentAt <= seen.atMillis() && checkpoint.equals(ledger.deleteTarget(
                c.id)) && events.forCommand(c.id).stream().anyMatch(e -> e.atMillis() <= seen.atMillis()
                && e.type().equals("command-rejected"))).findFirst().orElse(null);
        Ledger.Checkpoint origin = ledger.checkpoint(checkpoint);
        boolean takenBack = origin != null && origin.backup() != null && (events.forCommand(origin.command().id)
                .stream().anyMatch(e -> e.type().equals("command-rejected")) || (origin.backup().jobId != null
                && events.forJob(origin.backup().jobId).stream().anyMatch(e -> e.type().equals("backup-completed")
                && !e.event().path("success").asBoolean())));
        String why = afterCrash ? "after a QEMU crash" : deleting
                ? "while the soak's checkpoint.delete of it was in flight" : rejectedDelete != null
                ? "after the soak's checkpoint.delete of it was rejected" : takenBack
                ? "while Cairn took back the checkpoint of a failed backup" : "with no crash, delete or failed backup";
        brokenSeen.add(why);
        JsonNode nodes;
        try {
            vm.monitor().awaitUp(30_000);
            nodes = vm.monitor().execute("query-named-block-nodes", json().createObjectNode().put("flat", true));
        } catch (IOException | RuntimeException e) {
            violations.note("checkpoint-broken " + checkpoint + " of " + domain + ": QEMU could not be asked ("
                    + e.getMessage() + ")");
            return;
        }
        boolean reportedLateDelete = false;
        for (JsonNode disk : seen.event().path("disks")) {
            String device = disk.path("disk").asText();
            String bitmap = disk.path("bitmap").asText(checkpoint);
            String problem = disk.path("problem").asText();
            String format = vm.disks().stream().filter(d -> d.deviceId().equals(device))
                    .map(io.cairn.testing.qemu.QemuDisk::formatNodeName).findFirst().orElse("");
            JsonNode found = null;
            for (JsonNode node : nodes) {
                if (node.path("node-name").asText().equals(format)) {
                    for (JsonNode b : node.path("dirty-bitmaps")) {
                        if (bitmap.equals(b.path("name").asText())) {
                            found = b;
                        }
                    }
                }
            }
            boolean contradicts = found != null && ("missing".equalsIgnoreCase(problem)
                    || ("inconsistent".equalsIgnoreCase(problem) && !found.path("inconsistent").asBoolean(false)));
            String facts = "checkpoint-broken " + checkpoint + " of " + domain + " says bitmap " + bitmap + " on "
                    + device + " is " + problem + " (" + disk.path("message").asText() + "), but QEMU has it: "
                    + found + " (event " + seen.eventId() + ", " + (afterCrash ? "within 2 min of a QEMU crash"
                    : "no QEMU crash of this VM in the 2 min before") + ")";
            if (contradicts && afterCrash) {
                violations.note(facts);
            } else if (contradicts) {
                violations.add(Violations.LINEAGE, facts);
            } else if (rejectedDelete != null && !afterCrash && found == null && !reportedLateDelete) {
                reportedLateDelete = true;
                EventLog.Seen rejection = events.forCommand(rejectedDelete.id).stream()
                        .filter(e -> e.type().equals("command-rejected")).findFirst().orElseThrow();
                violations.add(Violations.LINEAGE, "a rejected checkpoint.delete removed the bitmap anyway: "
                        + rejectedDelete + " of " + checkpoint + " was answered command-rejected "
                        + rejection.event().at("/error/code").asText() + " (" + rejection.event().at("/error/message")
                        .asText() + ") at " + rejection.event().path("time").asText() + ", yet bitmap " + bitmap
                        + " on " + device + " is gone from QEMU and the lineage still has the checkpoint (Cairn "
                        + "reported it " + problem + " at " + seen.event().path("time").asText() + ", event "
                        + seen.eventId() + ")");
            } else if (why.startsWith("with no crash")) {
                violations.note("unexplained checkpoint-broken " + checkpoint + " of " + domain + " on " + device
                        + " (" + problem + "), and QEMU agrees (" + found + "): a bitmap of the lineage went away "
                        + "without a crash, a delete or a failed backup; event " + seen.eventId());
            }
        }
    }

    /** Live check of (1): a second, different outcome of a command is reported the moment it arrives. */
    private void watchOutcome(EventLog.Seen seen) {
        String id = seen.commandId();
        if (id == null) {
            return;
        }
        Ledger.Command command = ledger.find(id);
        if (command == null || !Checks.outcomeTypes(command.type).contains(seen.type())
                || !Checks.topicOf(command.type).equals(seen.topic())) {
            return;
        }
        synchronized (liveOutcomes) {
            Set<String> ids = liveOutcomes.computeIfAbsent(id, k -> new HashSet<>());
            if (ids.add(seen.eventId()) && ids.size() > 1) {
                liveDuplicates.incrementAndGet();
                say("LIVE (1): " + command + " got another outcome: " + seen.type() + " " + seen.eventId()
                        + " (counted in the final check)");
            }
        }
    }

    private void status(String phase) {
        int accepted = 0;
        for (Ledger.Command command : ledger.commands()) {
            accepted += command.accepted() ? 1 : 0;
        }
        String fault = faults == null ? "" : faults.current();
        say(String.format(Locale.ROOT, "%s: %d commands sent (%d accepted), %d events, %d backups, %d faults "
                + "injected%s, restore checks %d identical / %d different, violations so far %d", phase,
                ledger.commands().size(), accepted, events.size(), ledger.backups().size(),
                faults == null ? 0 : faults.byKind.total(), fault.isEmpty() ? "" : ", now: " + fault,
                verifier.identical.get(), verifier.different.get(), violations.total()));
    }

    /** Stops the soak early, for a reason it must report (e.g. a fault it could not undo). */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
            say("FAILING: " + reason);
        }
    }

    boolean aborted() {
        return failure != null;
    }

    private synchronized void stopEverything() {
        if (workload != null) {
            workload.stop(Duration.ofSeconds(1));
        }
        if (faults != null) {
            faults.stop(Duration.ofSeconds(1));
        }
        if (fleet != null) {
            fleet.keepLogs();
        }
        inspector.shutdownNow();
        if (verifier != null) {
            verifier.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (events != null) {
            events.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        // The restore images are evidence only when a restore or a verdict was wrong (those images are kept then).
        if (violations.of(Violations.RESTORE).isEmpty() && violations.of(Violations.VERDICT).isEmpty()) {
            deleteTree(restoreDir());
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    void say(String text) {
        synchronized (out) {
            out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.currentTimeMillis() - t0) / 1000.0, text);
        }
    }

    // ---- what the parts share -----------------------------------------------------------------------------------

    Fleet fleet() {
        return fleet;
    }

    Rest rest() {
        return rest;
    }

    CommandClient commands() {
        return commands;
    }

    EventLog events() {
        return events;
    }

    Ledger ledger() {
        return ledger;
    }

    Verifier verifier() {
        return verifier;
    }

    Violations violations() {
        return violations;
    }

    Workload workload() {
        return workload;
    }

    Faults faults() {
        return faults;
    }

    SoakSettings settings() {
        return settings;
    }

    Path runDir() {
        return runDir;
    }

    Path restoreDir() {
        return runDir.resolve("restore");
    }

    ObjectMapper json() {
        return CairnJson.mapper();
    }

    AtomicInteger dirtyMapsChecked() {
        return dirtyMapsChecked;
    }

    Set<String> settleDeleted() {
        return settleDeleted;
    }

    Tally brokenSeen() {
        return brokenSeen;
    }

    int liveDuplicates() {
        return liveDuplicates.get();
    }

    String runId() {
        return runId;
    }

    long startMillis() {
        return t0;
    }

    long workloadStart() {
        return workloadStart;
    }

    long workloadEnd() {
        return workloadEnd;
    }

    String settleSummary() {
        return settleSummary;
    }

    String failure() {
        return failure;
    }

    JsonNode lineageJson(String domain) {
        return rest.json(fleet.checkpointService().url() + "/api/v1/domains/" + domain + "/checkpoints");
    }
}
