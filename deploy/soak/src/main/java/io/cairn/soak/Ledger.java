package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Everything the soak sent and what it expects of it: commands, backups and the checkpoints it asked for. */
final class Ledger {

    /** How a command was sent: once to Kafka, twice to Kafka (a retry), or to Kafka and REST at once. */
    enum Channel {
        KAFKA, KAFKA_TWICE, KAFKA_AND_REST
    }

    /** One command (one commandId), however many times it was sent. */
    static final class Command {
        final String id;
        final String type;
        final String domain;
        final Channel channel;
        final long sentAt = System.currentTimeMillis();
        final boolean duringSettle;
        volatile int kafkaAcks;
        volatile int kafkaFailures;
        volatile String kafkaError;
        /** The REST answer of a KAFKA_AND_REST send; null when none came (service down, timeout). */
        volatile Rest.Answer rest;
        volatile boolean restTried;

        Command(String id, String type, String domain, Channel channel, boolean duringSettle) {
            this.id = id;
            this.type = type;
            this.domain = domain;
            this.channel = channel;
            this.duringSettle = duringSettle;
        }

        /** Accepted: the broker acknowledged it, or the REST API answered it (not a connection failure or 5xx). */
        boolean accepted() {
            Rest.Answer answer = rest;
            return kafkaAcks > 0 || (answer != null && answer.status() < 500);
        }

        @Override
        public String toString() {
            return type + " " + id + " (" + domain + ", " + channel + ")";
        }
    }

    /** One backup.begin and everything the soak learnt about its job. */
    static final class Backup {
        final Command begin;
        final SoakVm vm;
        final String mode;
        /** The incremental base, or null for a full backup. */
        final String base;
        /** The checkpoint the backup creates, or null. */
        final String checkpoint;
        /** Per disk: the push target or the pull scratch. */
        final Map<String, Path> stores;
        final Path socket;
        /** The guest content the backup must hold: the VM's first {@code snapshot} writes. */
        final long snapshot;
        /** False when the guest wrote between the begin and backup-started (the begin was not answered in time). */
        volatile boolean snapshotKnown = true;
        volatile String jobId;
        volatile JsonNode started;
        volatile long startedAt;
        volatile JsonNode completed;
        volatile long completedAt;
        final List<String> aborts = new CopyOnWriteArrayList<>();
        /** Pull: the full images read from the export, per disk (null when not read). */
        final Map<String, Path> pulled = new LinkedHashMap<>();
        volatile String pullReadError;
        volatile boolean verificationQueued;

        Backup(Command begin, SoakVm vm, String mode, String base, String checkpoint, Map<String, Path> stores,
                Path socket, long snapshot) {
            this.begin = begin;
            this.vm = vm;
            this.mode = mode;
            this.base = base;
            this.checkpoint = checkpoint;
            this.stores = stores;
            this.socket = socket;
            this.snapshot = snapshot;
        }

        boolean push() {
            return "push".equals(mode);
        }

        boolean succeeded() {
            JsonNode done = completed;
            return done != null && done.path("success").asBoolean(false);
        }

        String kind() {
            return mode + (base == null ? " full" : " incremental") + (checkpoint == null ? "" : " +checkpoint");
        }

        @Override
        public String toString() {
            return kind() + " of " + vm.domain() + " (begin " + begin.id + (jobId == null ? "" : ", job " + jobId)
                    + (base == null ? "" : ", from " + base) + (checkpoint == null ? "" : ", creating " + checkpoint)
                    + ")";
        }
    }

    /** A checkpoint the soak asked for, by checkpoint.create or with a backup; {@code snapshot} as for backups. */
    record Checkpoint(String name, String domain, Command command, Backup backup, long snapshot) {
    }

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final List<Backup> backups = new ArrayList<>();
    private final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
    private final java.util.Set<String> strayAborts = new java.util.HashSet<>();
    private final Map<String, String> deleteTargets = new java.util.HashMap<>();

    /** The checkpoint a checkpoint.delete names (recorded before it is sent). */
    synchronized void deleteTarget(String commandId, String checkpoint) {
        deleteTargets.put(commandId, checkpoint);
    }

    synchronized String deleteTarget(String commandId) {
        return deleteTargets.get(commandId);
    }

    /** An abort sent while the soak knew no backup of the domain to run: libvirt answers "no backup job". */
    synchronized void strayAbort(String commandId) {
        strayAborts.add(commandId);
    }

    synchronized boolean isStrayAbort(String commandId) {
        return strayAborts.contains(commandId);
    }

    synchronized Command command(String id, String type, String domain, Channel channel, boolean duringSettle) {
        Command command = new Command(id, type, domain, channel, duringSettle);
        commands.put(id, command);
        return command;
    }

    synchronized void backup(Backup backup) {
        backups.add(backup);
        if (backup.checkpoint != null) {
            checkpoints.put(backup.checkpoint, new Checkpoint(backup.checkpoint, backup.vm.domain(), backup.begin,
                    backup, backup.snapshot));
        }
    }

    synchronized void checkpoint(Checkpoint checkpoint) {
        checkpoints.put(checkpoint.name(), checkpoint);
    }

    synchronized List<Command> commands() {
        return List.copyOf(commands.values());
    }

    synchronized Command find(String commandId) {
        return commands.get(commandId);
    }

    synchronized List<Backup> backups() {
        return List.copyOf(backups);
    }

    synchronized Checkpoint checkpoint(String name) {
        return checkpoints.get(name);
    }

    synchronized List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints.values());
    }
}
