package io.cairn.soak;

import io.cairn.testing.stack.KafkaAccess;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.qemu.QemuDisk;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The invariants after settle, each against its own source of truth: the event topics read again from their
 * beginning (not the soak's live view), checkpoint-service's REST lineage, and QEMU itself through the soak's own
 * monitor (query-jobs, query-block-exports, query-named-block-nodes) and the QMP events it recorded all along.
 */
final class Checks {
    /** Outcome counts for the table: command type -> outcome type (with error code for rejections) -> count. */
    final Map<String, Map<String, Integer>> outcomes = new java.util.TreeMap<>();
    final Map<String, Integer> jobEndings = new java.util.TreeMap<>();
    /** Per command type: milliseconds from sending to the outcome event's time. */
    final Map<String, List<Long>> latencies = new java.util.TreeMap<>();
    private final List<String> internalErrors = new ArrayList<>();
    private final Soak soak;
    private final Violations violations;
    private List<EventLog.Seen> events;
    private final Map<String, List<EventLog.Seen>> byCommand = new HashMap<>();
    private final Map<String, List<EventLog.Seen>> byJob = new HashMap<>();
    private final Map<String, List<Workload.Cp>> lineages = new LinkedHashMap<>();
    private final Map<String, JsonNode> lineageViews = new LinkedHashMap<>();

    Checks(Soak soak) {
        this.soak = soak;
        this.violations = soak.violations();
    }

    void run() {
        events = readAll(soak.fleet().bootstrap(), List.of(Topics.CHECKPOINT_EVENTS, Topics.BACKUP_EVENTS));
        keepEvents();
        for (EventLog.Seen seen : events) {
            if (seen.commandId() != null) {
                byCommand.computeIfAbsent(seen.commandId(), k -> new ArrayList<>()).add(seen);
            }
            if (seen.jobId() != null) {
                byJob.computeIfAbsent(seen.jobId(), k -> new ArrayList<>()).add(seen);
            }
        }
        for (SoakVm vm : soak.fleet().vms()) {
            lineageViews.put(vm.domain(), soak.rest().json(soak.fleet().checkpointService().url()
                    + "/api/v1/domains/" + vm.domain() + "/checkpoints"));
            lineages.put(vm.domain(), Workload.lineage(soak, vm.domain()));
        }
        outcomes();
        jobs();
        orphansAndLineage();
        backupCheckpoints();
        verdicts();
        restores();
    }

    /** The soak's own side, for evidence: every command it sent, and every QMP event each QEMU sent it. */
    private void keepLedgerAndQmp() {
        StringBuilder lines = new StringBuilder();
        for (Ledger.Command c : soak.ledger().commands()) {
            lines.append(java.time.Instant.ofEpochMilli(c.sentAt)).append(' ').append(c.id).append(' ').append(c.type)
                    .append(' ').append(c.domain).append(' ').append(c.channel).append(" acks=").append(c.kafkaAcks)
                    .append(" failures=").append(c.kafkaFailures).append(c.rest != null ? " rest=" + c.rest.status()
                            + " " + abbreviate(c.rest.body()) : c.restTried ? " rest=none" : "")
                    .append(soak.ledger().deleteTarget(c.id) != null ? " checkpoint=" + soak.ledger()
                            .deleteTarget(c.id) : "")
                    .append(c.duringSettle ? " (settle)" : "").append(System.lineSeparator());
        }
        for (Ledger.Backup b : soak.ledger().backups()) {
            lines.append("backup ").append(b.begin.id).append(' ').append(b).append(" snapshot=").append(b.snapshot)
                    .append(b.snapshotKnown ? "" : "(unknown)").append(" aborts=").append(b.aborts)
                    .append(b.pullReadError != null ? " pull-read-error=" + b.pullReadError : "")
                    .append(System.lineSeparator());
        }
        for (Ledger.Checkpoint cp : soak.ledger().checkpoints()) {
            lines.append("checkpoint ").append(cp.name()).append(" <- ").append(cp.command().type).append(' ')
                    .append(cp.command().id).append(System.lineSeparator());
        }
        write(soak.runDir().resolve("commands.txt"), lines.toString());
        for (SoakVm vm : soak.fleet().vms()) {
            StringBuilder qmp = new StringBuilder();
            for (Monitor.QmpEvent event : vm.monitor().events()) {
                qmp.append(java.time.Instant.ofEpochMilli(event.atMillis())).append(' ').append(event.name())
                        .append(' ').append(event.data()).append(System.lineSeparator());
            }
            write(soak.runDir().resolve("qmp-" + vm.domain() + ".txt"), qmp.toString());
        }
    }

    private void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            violations.note("could not write " + file + ": " + e.getMessage());
        }
    }

    /** Every event, as read again, into the run directory: the evidence behind each violation. */
    private void keepEvents() {
        keepLedgerAndQmp();
        StringBuilder lines = new StringBuilder();
        for (EventLog.Seen seen : events) {
            lines.append(seen.topic()).append(' ').append(seen.partition()).append(' ').append(seen.offset())
                    .append(' ').append(seen.event()).append(System.lineSeparator());
        }
        try {
            Files.writeString(soak.runDir().resolve("events.txt"), lines);
        } catch (IOException e) {
            violations.note("could not write events.txt: " + e.getMessage());
        }
    }

    int eventCount() {
        return events.size();
    }

    // ---- (1) ----------------------------------------------------------------------------------------------------

    static Set<String> outcomeTypes(String commandType) {
        return switch (commandType) {
            case "checkpoint.create" -> Set.of("checkpoint-created", "command-rejected");
            case "checkpoint.delete" -> Set.of("checkpoint-deleted", "command-rejected");
            case "backup.begin" -> Set.of("backup-started", "command-rejected");
            case "backup.abort" -> Set.of("backup-completed", "command-rejected");
            default -> Set.of("command-rejected");
        };
    }

    static String topicOf(String commandType) {
        return commandType.startsWith("checkpoint.") ? Topics.CHECKPOINT_EVENTS : Topics.BACKUP_EVENTS;
    }

    /** The command's outcome events: its outcome types, on its events topic, one per distinct eventId. */
    List<EventLog.Seen> outcomesOf(Ledger.Command command) {
        Set<String> types = outcomeTypes(command.type);
        String topic = topicOf(command.type);
        Map<String, EventLog.Seen> distinct = new LinkedHashMap<>();
        for (EventLog.Seen seen : byCommand.getOrDefault(command.id, List.of())) {
            if (seen.topic().equals(topic) && types.contains(seen.type())) {
                distinct.putIfAbsent(seen.eventId(), seen);
            }
        }
        return List.copyOf(distinct.values());
    }

    private void outcomes() {
        int accepted = 0;
        int unaccepted = 0;
        int restChecked = 0;
        for (Ledger.Command command : soak.ledger().commands()) {
            List<EventLog.Seen> found = outcomesOf(command);
            Map<String, Integer> byType = outcomes.computeIfAbsent(command.type, k -> new java.util.TreeMap<>());
            if (found.isEmpty()) {
                byType.merge(command.accepted() ? "(none)" : "(none; not accepted)", 1, Integer::sum);
            } else {
                EventLog.Seen first = found.get(0);
                String label = first.type().equals("command-rejected")
                        ? "command-rejected " + first.event().at("/error/code").asText() : first.type();
                byType.merge(label, 1, Integer::sum);
            }
            if (!found.isEmpty() && found.get(0).event().hasNonNull("time")) {
                try {
                    long at = java.time.Instant.parse(found.get(0).event().get("time").asText()).toEpochMilli();
                    latencies.computeIfAbsent(command.type, k -> new ArrayList<>()).add(Math.max(0, at
                            - command.sentAt));
                } catch (java.time.format.DateTimeParseException ignored) {
                    // no latency for this one
                }
                if (found.get(0).type().equals("command-rejected") && "VIR_ERR_INTERNAL_ERROR".equals(found.get(0)
                        .event().at("/error/code").asText())) {
                    internalErrors.add(command + ": " + abbreviate(found.get(0).event().at("/error/message")
                            .asText()));
                }
            }
            if (command.accepted()) {
                accepted++;
                if (found.size() != 1) {
                    violations.add(Violations.OUTCOMES, command + " sent " + describeSends(command) + " has "
                            + found.size() + " outcomes" + describe(found) + everything(command.id));
                }
            } else {
                unaccepted++;
                if (found.size() > 1) {
                    violations.add(Violations.OUTCOMES, command + " (never acknowledged by the broker) has "
                            + found.size() + " outcomes" + describe(found));
                }
            }
            if (command.rest != null && found.size() == 1 && restDisagrees(command, found.get(0))) {
                violations.add(Violations.OUTCOMES, command + ": the REST answer (" + command.rest.status() + " "
                        + abbreviate(command.rest.body()) + ") is not the outcome on the topic ("
                        + abbreviate(found.get(0).event().toString()) + ")");
            }
            restChecked += command.rest != null ? 1 : 0;
        }
        if (!internalErrors.isEmpty()) {
            violations.note(internalErrors.size() + " commands were rejected with VIR_ERR_INTERNAL_ERROR, which the "
                    + "README calls an unexpected bug; the first: " + internalErrors.get(0));
        }
        Map<String, Integer> strayCodes = new java.util.TreeMap<>();
        for (Ledger.Command command : soak.ledger().commands()) {
            if (soak.ledger().isStrayAbort(command.id)) {
                outcomesOf(command).stream().findFirst().ifPresent(o -> strayCodes.merge(o.type().equals(
                        "command-rejected") ? o.event().at("/error/code").asText() : o.type(), 1, Integer::sum));
            }
        }
        if (strayCodes.keySet().stream().anyMatch(code -> !code.equals("VIR_ERR_OPERATION_INVALID"))) {
            violations.note("contract: backup.abort with no backup running was answered " + strayCodes
                    + "; events-schema/README.md promises VIR_ERR_OPERATION_INVALID (55) for that case");
        }
        violations.coverage(Violations.OUTCOMES, accepted + " accepted commands checked (" + unaccepted
                + " never acknowledged by the broker: at most one outcome each); " + restChecked
                + " REST answers compared with the topic's outcome");
    }

    /** A REST answer must be the same outcome as the topic's: the same event, the same error, or the same job. */
    private static boolean restDisagrees(Ledger.Command command, EventLog.Seen outcome) {
        Rest.Answer answer = command.rest;
        JsonNode body = answer.json();
        if (body == null) {
            return false;
        }
        if (answer.status() < 300 && body.has("eventId")) {
            return !body.path("eventId").asText().equals(outcome.eventId());
        }
        if (answer.status() >= 400 && body.has("code")) {
            return !outcome.type().equals("command-rejected")
                    || !body.path("code").asText().equals(outcome.event().at("/error/code").asText());
        }
        if (answer.status() == 202 && body.has("jobId") && outcome.type().equals("backup-started")) {
            return !body.path("jobId").asText().equals(outcome.jobId());
        }
        return false;
    }

    private void jobs() {
        int jobs = 0;
        for (Ledger.Backup backup : soak.ledger().backups()) {
            List<EventLog.Seen> started = outcomesOf(backup.begin).stream()
                    .filter(s -> s.type().equals("backup-started")).toList();
            if (started.isEmpty()) {
                continue;
            }
            String jobId = started.get(0).jobId();
            jobs++;
            Map<String, EventLog.Seen> completed = new LinkedHashMap<>();
            for (EventLog.Seen seen : byJob.getOrDefault(jobId, List.of())) {
                if (seen.type().equals("backup-completed")) {
                    completed.putIfAbsent(seen.eventId(), seen);
                }
            }
            if (completed.size() != 1) {
                violations.add(Violations.OUTCOMES, "job " + jobId + " of " + backup + " has " + completed.size()
                        + " backup-completed events" + describe(List.copyOf(completed.values())));
            }
            if (!completed.isEmpty()) {
                JsonNode done = completed.values().iterator().next().event();
                jobEndings.merge(backup.mode + " " + done.path("status").asText() + " (success "
                        + done.path("success").asBoolean() + ")", 1, Integer::sum);
            } else {
                jobEndings.merge(backup.mode + " never ended", 1, Integer::sum);
            }
        }
        violations.coverage(Violations.OUTCOMES, jobs + " started jobs: exactly one backup-completed each");
    }

    // ---- (2) and (3) --------------------------------------------------------------------------------------------

    private void orphansAndLineage() {
        int vmsChecked = 0;
        int bitmapsCompared = 0;
        for (SoakVm vm : soak.fleet().vms()) {
            if (!vm.monitor().awaitUp(30_000)) {
                violations.note(vm.domain() + ": the soak's monitor could not connect after settle: (2) and (3) "
                        + "not checked for it");
                continue;
            }
            try {
                JsonNode jobs = vm.monitor().execute("query-jobs", null);
                for (JsonNode job : jobs) {
                    violations.add(Violations.ORPHANS, vm.domain() + ": block job left in QEMU after settle: "
                            + job);
                }
                JsonNode exports = vm.monitor().execute("query-block-exports", null);
                for (JsonNode export : exports) {
                    violations.add(Violations.ORPHANS, vm.domain() + ": NBD export left in QEMU after settle: "
                            + export);
                }
                Map<String, QemuDisk> byFormatNode = new HashMap<>();
                Set<String> ownNodes = new LinkedHashSet<>();
                for (QemuDisk disk : vm.disks()) {
                    byFormatNode.put(disk.formatNodeName(), disk);
                    ownNodes.add(disk.formatNodeName());
                    ownNodes.add(disk.storageNodeName());
                }
                Set<String> onDisks = new TreeSet<>();
                JsonNode nodes = vm.monitor().execute("query-named-block-nodes", CairnJson.mapper()
                        .createObjectNode().put("flat", true));
                for (JsonNode node : nodes) {
                    String name = node.path("node-name").asText();
                    if (!ownNodes.contains(name)) {
                        violations.add(Violations.ORPHANS, vm.domain() + ": block node left in QEMU after settle: "
                                + name + " (" + node.path("drv").asText() + ", " + node.path("file").asText() + ")");
                        continue;
                    }
                    QemuDisk disk = byFormatNode.get(name);
                    for (JsonNode bitmap : node.path("dirty-bitmaps")) {
                        if (!bitmap.hasNonNull("name")) {
                            continue;
                        }
                        String bitmapName = bitmap.get("name").asText();
                        if (disk == null) {
                            violations.add(Violations.ORPHANS, vm.domain() + ": bitmap " + bitmapName
                                    + " on storage node " + name);
                        } else if (!bitmap.path("persistent").asBoolean(false) || bitmapName.startsWith("backup-")) {
                            violations.add(Violations.ORPHANS, vm.domain() + ": temporary bitmap of a backup left "
                                    + "on " + disk.deviceId() + ": " + bitmap);
                        } else {
                            onDisks.add(disk.deviceId() + "/" + bitmapName);
                        }
                    }
                }
                vmsChecked++;
                bitmapsCompared += lineageEqualsBitmaps(vm, onDisks);
            } catch (IOException | RuntimeException e) {
                violations.note(vm.domain() + ": QEMU could not be asked after settle (" + e.getMessage()
                        + "): (2) and (3) incomplete for it");
            }
        }
        leftoverFiles();
        violations.coverage(Violations.ORPHANS, vmsChecked + " of " + soak.fleet().vms().size()
                + " QEMUs asked (jobs, exports, nodes, temporary bitmaps), plus NBD sockets, scratch files and "
                + "partial targets of ended jobs");
        violations.coverage(Violations.LINEAGE, bitmapsCompared + " disk bitmaps compared on " + vmsChecked
                + " VMs");
    }

    /** Returns how many bitmap names were compared. */
    private int lineageEqualsBitmaps(SoakVm vm, Set<String> onDisks) {
        JsonNode views = lineageViews.get(vm.domain());
        if (views == null) {
            violations.note(vm.domain() + ": checkpoint-service did not list the lineage after settle: (3) not "
                    + "checked for it");
            return 0;
        }
        Set<String> inLineage = new TreeSet<>();
        Set<String> explained = new TreeSet<>();
        for (JsonNode view : views) {
            String name = view.at("/checkpoint/name").asText();
            for (JsonNode disk : view.at("/checkpoint/disks")) {
                if ("bitmap".equalsIgnoreCase(disk.path("checkpoint").asText("bitmap"))) {
                    inLineage.add(disk.path("name").asText() + "/" + disk.path("bitmap").asText(name));
                }
            }
            for (JsonNode broken : view.path("brokenDisks")) {
                if ("missing".equalsIgnoreCase(broken.path("problem").asText())) {
                    explained.add(broken.path("disk").asText() + "/" + broken.path("bitmap").asText(name));
                }
            }
        }
        Set<String> missing = new TreeSet<>(inLineage);
        missing.removeAll(onDisks);
        Set<String> knownMissing = new TreeSet<>(missing);
        knownMissing.retainAll(explained);
        missing.removeAll(explained);
        Set<String> unowned = new TreeSet<>(onDisks);
        unowned.removeAll(inLineage);
        if (!knownMissing.isEmpty()) {
            violations.note(vm.domain() + ": lineage checkpoints marked broken (bitmap missing) and still listed: "
                    + knownMissing);
        }
        if (!missing.isEmpty() || !unowned.isEmpty()) {
            Set<String> names = new TreeSet<>();
            missing.forEach(m -> names.add(m.substring(m.indexOf('/') + 1)));
            unowned.forEach(u -> names.add(u.substring(u.indexOf('/') + 1)));
            violations.add(Violations.LINEAGE, vm.domain() + ": lineage and bitmaps differ after settle: in the "
                    + "lineage but not on the disks " + missing + "; on the disks but in no checkpoint " + unowned
                    + "; lineage " + summary(views) + "; where those names come from: " + origins(names));
        }
        return inLineage.size() + unowned.size();
    }

    /** Which command of the soak asked for each checkpoint name, and what became of it. */
    private String origins(Set<String> names) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            Ledger.Checkpoint origin = soak.ledger().checkpoint(name);
            text.append(name).append(" <- ");
            if (origin == null) {
                text.append("no command of the soak; ");
                continue;
            }
            List<EventLog.Seen> found = outcomesOf(origin.command());
            text.append(origin.command().type).append(' ').append(origin.command().id).append(" answered ")
                    .append(found.isEmpty() ? "nothing" : found.get(0).type() + (found.get(0).type().equals(
                            "command-rejected") ? " " + found.get(0).event().at("/error/code").asText() + " ("
                            + abbreviate(found.get(0).event().at("/error/message").asText()) + ")" : ""));
            if (origin.backup() != null) {
                JsonNode done = completion(origin.backup());
                text.append(done == null ? ", no backup-completed" : ", job " + done.path("jobId").asText() + " "
                        + done.path("status").asText() + " success=" + done.path("success").asBoolean());
            }
            text.append("; ");
        }
        return text.toString();
    }

    private void leftoverFiles() {
        for (Ledger.Backup backup : soak.ledger().backups()) {
            List<EventLog.Seen> found = outcomesOf(backup.begin);
            boolean startedOrRejected = !found.isEmpty();
            boolean succeeded = completion(backup) != null && completion(backup).path("success").asBoolean();
            boolean ended = completion(backup) != null
                    || (startedOrRejected && found.get(0).type().equals("command-rejected"));
            if (!ended) {
                continue;
            }
            if (backup.socket != null && listening(backup.socket)) {
                violations.add(Violations.ORPHANS, "the NBD server of " + backup + " still listens on "
                        + backup.socket + " after its job ended");
            }
            for (Map.Entry<String, Path> store : backup.stores.entrySet()) {
                if (!Files.exists(store.getValue())) {
                    continue;
                }
                if (!backup.push()) {
                    violations.add(Violations.ORPHANS, "the scratch file of " + backup + " (" + store.getKey()
                            + ") was left behind: " + store.getValue() + "; " + fate(backup));
                } else if (!succeeded) {
                    violations.add(Violations.ORPHANS, "the partial target of unsuccessful " + backup + " ("
                            + store.getKey() + ") was left behind: " + store.getValue() + "; " + fate(backup));
                }
            }
        }
    }

    private static boolean listening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- (4) ----------------------------------------------------------------------------------------------------

    private void backupCheckpoints() {
        Set<String> deletedBySoak = new LinkedHashSet<>();
        for (Ledger.Command command : soak.ledger().commands()) {
            if (command.type.equals("checkpoint.delete")) {
                for (EventLog.Seen seen : outcomesOf(command)) {
                    seen.event().path("checkpoints").forEach(n -> deletedBySoak.add(seen.event().path("domain")
                            .asText() + "/" + n.asText()));
                }
            }
        }
        int checked = 0;
        for (Ledger.Backup backup : soak.ledger().backups()) {
            if (backup.checkpoint == null || !backup.begin.accepted()) {
                continue;
            }
            List<Workload.Cp> lineage = lineages.get(backup.vm.domain());
            if (lineage == null) {
                continue;
            }
            checked++;
            // A broken checkpoint the settle deleted was still in the lineage: deleting it must not hide a violation.
            boolean inLineage = lineage.stream().anyMatch(cp -> cp.name().equals(backup.checkpoint))
                    || soak.settleDeleted().contains(backup.vm.domain() + "/" + backup.checkpoint);
            JsonNode done = completion(backup);
            List<EventLog.Seen> begin = outcomesOf(backup.begin);
            String fate = fate(backup);
            boolean succeeded = done != null && done.path("success").asBoolean();
            if (inLineage && !succeeded) {
                violations.add(Violations.BACKUP_CHECKPOINTS, "checkpoint " + backup.checkpoint + " is in the lineage"
                        + " of " + backup.vm.domain() + " although " + fate + ": " + backup + everything(backup.begin.id));
            }
            if (succeeded && !inLineage && !deletedBySoak.contains(backup.vm.domain() + "/" + backup.checkpoint)) {
                violations.add(Violations.BACKUP_CHECKPOINTS, "checkpoint " + backup.checkpoint + " of successful "
                        + backup + " is missing from the lineage, and the soak never deleted it"
                        + everything(backup.begin.id));
            }
            if (!begin.isEmpty() && begin.get(0).type().equals("backup-started")) {
                long created = byCommand.getOrDefault(backup.begin.id, List.of()).stream()
                        .filter(s -> s.type().equals("checkpoint-created")).map(EventLog.Seen::eventId).distinct()
                        .count();
                if (created != 1) {
                    violations.add(Violations.BACKUP_CHECKPOINTS, backup + " started but has " + created
                            + " checkpoint-created events (one per job expected)" + everything(backup.begin.id));
                }
            }
        }
        violations.coverage(Violations.BACKUP_CHECKPOINTS, checked + " backups that asked for a checkpoint");
    }

    /** What became of a backup, in words, for violation texts. */
    private String fate(Ledger.Backup backup) {
        JsonNode done = completion(backup);
        List<EventLog.Seen> begin = outcomesOf(backup.begin);
        return begin.isEmpty() ? "its begin has no outcome"
                : begin.get(0).type().equals("command-rejected") ? "its begin was rejected ("
                        + begin.get(0).event().at("/error/code").asText() + ": "
                        + abbreviate(begin.get(0).event().at("/error/message").asText()) + ")"
                : done == null ? "its job never ended"
                : "its job ended " + done.path("status").asText() + ", success " + done.path("success").asBoolean()
                        + (done.hasNonNull("errmsg") ? " (" + done.path("errmsg").asText() + ")" : "");
    }

    // ---- (5) ----------------------------------------------------------------------------------------------------

    private void verdicts() {
        int observed = 0;
        int unobserved = 0;
        for (Ledger.Backup backup : soak.ledger().backups()) {
            JsonNode done = completion(backup);
            String jobId = jobIdOf(backup);
            if (done == null || jobId == null) {
                continue;
            }
            long from = backup.begin.sentAt;
            long to = completionTime(backup);
            boolean crashed = backup.vm.crashedWithin(from, to);
            boolean connected = backup.vm.monitor().connectedThroughout(from, to);
            Map<String, String> qemu = new LinkedHashMap<>();
            for (String disk : backup.stores.keySet()) {
                qemu.put(disk, qemuVerdict(backup.vm, "backup-" + disk + "-" + jobId, from, to));
            }
            boolean success = done.path("success").asBoolean();
            String cairn = done.path("status").asText() + "/success=" + success
                    + (done.hasNonNull("errmsg") ? " (" + done.path("errmsg").asText() + ")" : "");
            if (!connected && !crashed) {
                unobserved++;
                continue;
            }
            observed++;
            boolean allCompleted = qemu.values().stream().allMatch("completed"::equals);
            boolean anyFailed = qemu.values().stream().anyMatch(v -> v.startsWith("failed"));
            String facts = "Cairn: " + cairn + "; QEMU: " + qemu + (crashed ? "; QEMU was killed during the job" : "")
                    + "; " + backup;
            if (backup.push()) {
                if (success && !allCompleted && !(crashed && allCompleted)) {
                    violations.add(Violations.VERDICT, "a push reported successful that QEMU did not complete: "
                            + facts);
                } else if (!success && allCompleted) {
                    violations.add(Violations.VERDICT, "a push QEMU completed on every disk is reported unsuccessful: "
                            + facts);
                }
            } else {
                boolean crashedWhileExported = backup.vm.crashedWithin(backup.startedAt > 0 ? backup.startedAt : from,
                        to);
                if (success && (crashedWhileExported || anyFailed)) {
                    violations.add(Violations.VERDICT, "a pull reported successful although its QEMU job "
                            + (anyFailed ? "failed" : "died with QEMU") + ": " + facts);
                } else if (!success && !crashed && connected
                        && qemu.values().stream().allMatch("cancelled"::equals)) {
                    violations.add(Violations.VERDICT, "a pull QEMU ended cleanly (cancelled after the abort, "
                            + "libvirt's success) is reported unsuccessful: " + facts);
                }
            }
        }
        violations.coverage(Violations.VERDICT, observed + " ended jobs set beside QEMU's own job events (" + unobserved
                + " not observable: the soak's monitor was not connected throughout)");
    }

    /** What QEMU said of one block job between {@code from} and {@code to} (plus a grace for event delivery). */
    private static String qemuVerdict(SoakVm vm, String qemuJobId, long from, long to) {
        String verdict = "none";
        for (Monitor.QmpEvent event : vm.monitor().events()) {
            if (event.atMillis() < from - 1_000 || event.atMillis() > to + 30_000
                    || !qemuJobId.equals(event.data().path("device").asText(event.data().path("id").asText()))) {
                continue;
            }
            switch (event.name()) {
                case "BLOCK_JOB_COMPLETED" -> verdict = event.data().hasNonNull("error")
                        ? "failed: " + event.data().get("error").asText() : "completed";
                case "BLOCK_JOB_CANCELLED" -> verdict = "cancelled";
                case "BLOCK_JOB_ERROR" -> verdict = verdict.equals("none") ? "error: "
                        + event.data().path("operation").asText() : verdict;
                default -> {
                }
            }
        }
        return verdict;
    }

    // ---- (6) ----------------------------------------------------------------------------------------------------

    private void restores() {
        Verifier v = soak.verifier();
        int succeededPush = 0;
        int succeededPull = 0;
        for (Ledger.Backup backup : soak.ledger().backups()) {
            JsonNode done = completion(backup);
            if (done != null && done.path("success").asBoolean()) {
                if (backup.push()) {
                    succeededPush++;
                } else {
                    succeededPull++;
                }
            }
        }
        violations.coverage(Violations.RESTORE, String.format("%d successful pushes, %d successful pulls; compared: "
                + "%d full targets, %d incremental chains (longest %d links), %d pulled images (%d identical, %d "
                + "different); %d incremental pull dirty maps checked; not comparable: %d (base checkpoint without a "
                + "verified restore image, e.g. made by checkpoint.create or a failed check), %d (point in time "
                + "unknown: the begin was answered late)", succeededPush, succeededPull, v.fullChecked.get(),
                v.incrementalChecked.get(), v.longestChain.get(), v.pullChecked.get(), v.identical.get(),
                v.different.get(), soak.dirtyMapsChecked().get(), v.unverifiableNoBase.get(),
                v.unverifiableNoSnapshot.get()));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String jobIdOf(Ledger.Backup backup) {
        return outcomesOf(backup.begin).stream().filter(s -> s.type().equals("backup-started"))
                .map(EventLog.Seen::jobId).findFirst().orElse(null);
    }

    /** The job's backup-completed, from the topics as read again now. */
    JsonNode completion(Ledger.Backup backup) {
        String jobId = jobIdOf(backup);
        if (jobId == null) {
            return null;
        }
        return byJob.getOrDefault(jobId, List.of()).stream().filter(s -> s.type().equals("backup-completed"))
                .map(EventLog.Seen::event).findFirst().orElse(null);
    }

    /** When the live feed saw the job's backup-completed (the re-read has no receive times of its own). */
    private long completionTime(Ledger.Backup backup) {
        String jobId = jobIdOf(backup);
        return soak.events().forJob(jobId).stream().filter(s -> s.type().equals("backup-completed"))
                .mapToLong(EventLog.Seen::atMillis).findFirst().orElse(System.currentTimeMillis());
    }

    private String describeSends(Ledger.Command command) {
        return command.channel + " (broker acks " + command.kafkaAcks + ", failures " + command.kafkaFailures
                + (command.restTried ? ", REST " + (command.rest == null ? "no answer" : command.rest.status()) : "")
                + ")";
    }

    private static String describe(List<EventLog.Seen> found) {
        if (found.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(": ");
        for (EventLog.Seen seen : found) {
            text.append(seen.type()).append(" ").append(seen.eventId()).append(" @").append(seen.event()
                    .path("time").asText()).append(seen.type().equals("command-rejected") ? " " + seen.event()
                    .at("/error/code").asText() + " " + abbreviate(seen.event().at("/error/message").asText()) : "")
                    .append("; ");
        }
        return text.toString();
    }

    /** Every event that carries the commandId, in topic order: the sequence to look at. */
    private String everything(String commandId) {
        List<EventLog.Seen> all = byCommand.getOrDefault(commandId, List.of());
        StringBuilder text = new StringBuilder(" [events of " + commandId + ": ");
        for (EventLog.Seen seen : all) {
            text.append(seen.type());
            if (seen.jobId() != null) {
                text.append("(").append(seen.event().path("status").asText(seen.jobId())).append(")");
            }
            if (seen.type().equals("command-rejected")) {
                text.append("(").append(seen.event().at("/error/code").asText()).append(")");
            }
            text.append(" ");
        }
        return text.append("]").toString();
    }

    private static String summary(JsonNode views) {
        List<String> names = new ArrayList<>();
        for (JsonNode view : views) {
            names.add(view.at("/checkpoint/name").asText() + (view.has("health") && !"active".equals(view.path(
                    "health").asText()) ? "(" + view.path("health").asText() + ")" : ""));
        }
        return names.toString();
    }

    static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** Both event topics from their beginning to their current end, in partition order. */
    static List<EventLog.Seen> readAll(String bootstrap, List<String> topics) {
        Properties c = new Properties();
        c.putAll(KafkaAccess.admin(bootstrap));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<EventLog.Seen> found = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                reader.partitionsFor(topic, Duration.ofSeconds(60)).forEach(info -> partitions.add(
                        new TopicPartition(topic, info.partition())));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the event topics to their end within 120 s");
                }
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    try {
                        found.add(new EventLog.Seen(record.topic(), record.partition(), record.offset(),
                                record.timestamp(), CairnJson.mapper().readTree(record.value())));
                    } catch (IOException unreadable) {
                        // not an event
                    }
                }
            }
        }
        return found;
    }
}
