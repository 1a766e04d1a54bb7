package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.topic.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guided tour of a running Cairn: full, incremental and pull backups with checkpoints, restores from the backup
 * catalog checked with qemu-img compare, and the lineage as a tree. It uses only what a user's own service has: the Kafka command
 * and event topics and the REST APIs (plus qemu-img and libnbd on the backup side, and a monitor socket to play the
 * guest). Exit code 0 when every step held, 1 with the failed step and its reason otherwise.
 */
public final class Tour {
    private static final Pattern RUN_NAME = Pattern.compile("r(\\d+)-c\\d+");
    private static final Pattern DISK_SIZE = Pattern.compile("<disk name='([^']+)'[^>]*size='(\\d+)'");

    private final TourSettings settings;
    private final Console console;
    private final RestClient rest;
    private final List<Verdict> verdicts = new ArrayList<>();
    private final Map<String, JsonNode> domains = new LinkedHashMap<>();
    /** Per domain and disk: the newest restorable image of the chain (a full target, then chain links). */
    private final Map<String, Path> chainHeads = new LinkedHashMap<>();
    /** Per domain and disk: the push targets Cairn wrote, full first (what the catalog must list). */
    private final Map<String, List<Path>> pushTargets = new LinkedHashMap<>();
    /** Per domain/disk, the copy restore.begin wrote of the incremental's checkpoint. */
    private final Map<String, Path> restoredCopies = new LinkedHashMap<>();
    private EventFeed events;
    private CommandSender commands;
    private String run;
    private boolean firstCompletionReported;

    /** One restore chain checked against the disk. */
    record Verdict(String domain, String disk, String checkpoint, String kind, Path image, boolean identical) {
    }

    /** A tour against the given system, printing to {@code out}; {@link #run()} walks it. */
    public Tour(TourSettings settings, PrintStream out) {
        this.settings = settings;
        this.console = new Console(out);
        this.rest = new RestClient(settings.token());
    }

    public static void main(String[] args) {
        Path stateDir = Path.of(System.getenv().getOrDefault("CAIRN_STATE_DIR", ".cairn"));
        System.exit(new Tour(TourSettings.fromEnvironment(System.getenv(), stateDir), System.out).run());
    }

    /** Runs every step; 0 when all held, 1 otherwise (the failed step and reason are printed). */
    public int run() {
        int step = 0;
        try (EventFeed feed = new EventFeed(settings.kafkaClient(), List.of(Topics.BACKUP_EVENTS,
                Topics.CHECKPOINT_EVENTS)); CommandSender sender = new CommandSender(settings.kafkaClient())) {
            events = feed;
            commands = sender;
            showFleet(++step);
            fullBackups(++step);
            incrementalBackups(++step);
            pullBackup(++step);
            verifyChains(++step);
            catalog(++step);
            retention(++step);
            lineage(++step);
            whereThingsAre(++step);
            console.info("");
            console.info("Tour finished in %.1f s: every step held.", console.seconds());
            return 0;
        } catch (TourFailure | IllegalStateException | org.apache.kafka.common.KafkaException failure) {
            console.info("");
            console.info("TOUR FAILED at step %d: %s", step, failure.getMessage());
            return 1;
        }
    }

    private void showFleet(int step) {
        console.step(step, "the fleet, as the host agents report it (GET " + settings.backupUrl() + "/api/v1/hosts)");
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            domains.clear();
            JsonNode hosts = rest.json(settings.backupUrl() + "/api/v1/hosts");
            for (JsonNode host : hosts) {
                for (JsonNode domain : host.path("domains")) {
                    if (settings.domains().contains(domain.get("name").asText())) {
                        domains.put(domain.get("name").asText(), domain);
                    }
                }
            }
            if (domains.keySet().containsAll(settings.domains())) {
                printFleet(hosts);
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new TourFailure("no host agent reports the demo VMs " + settings.domains() + " (reported: "
                        + domains.keySet() + ")");
            }
            sleep(1_000);
        }
        run = "r" + (previousRuns() + 1);
        console.info("This is tour run %s: its checkpoints are %s-c1, %s-c2, %s-c3.", run, run, run, run);
    }

    private void printFleet(JsonNode hosts) {
        int others = 0;
        for (JsonNode host : hosts) {
            boolean runsOurs = false;
            for (JsonNode domain : host.path("domains")) {
                runsOurs |= settings.domains().contains(domain.get("name").asText());
            }
            if (!runsOurs) {
                others++;
                continue;
            }
            console.info("host %s (inventory of %s)", host.get("hostId").asText(), host.path("time").asText());
            for (JsonNode domain : host.path("domains")) {
                console.info("  domain %s (%s)", domain.get("name").asText(), domain.path("runState").asText());
                for (JsonNode disk : domain.path("disks")) {
                    console.info("    %-4s %9s  %s  bitmaps: %d", disk.get("device").asText(),
                            Console.size(disk.get("virtualSize").asLong()), disk.get("file").asText(),
                            disk.path("bitmaps").size());
                }
            }
        }
        if (others > 0) {
            console.info("(%d more host(s) reported, running none of the tour's VMs: not shown)", others);
        }
    }

    /** Earlier tours left checkpoints r1-c1, r2-c1, ...: this run takes the next number so names never clash. */
    private int previousRuns() {
        int highest = 0;
        for (String domain : settings.domains()) {
            for (JsonNode view : rest.json(checkpoints(domain))) {
                Matcher m = RUN_NAME.matcher(view.at("/checkpoint/name").asText());
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
            for (JsonNode disk : domains.get(domain).path("disks")) {
                for (JsonNode bitmap : disk.path("bitmaps")) {
                    Matcher m = RUN_NAME.matcher(bitmap.path("name").asText());
                    if (m.matches()) {
                        highest = Math.max(highest, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        return highest;
    }

    private void fullBackups(int step) {
        console.step(step, "full push backup of every VM, each creating checkpoint " + run + "-c1 (Kafka "
                + Topics.BACKUP_COMMANDS + ")");
        String checkpoint = run + "-c1";
        Map<String, String> begun = new LinkedHashMap<>();
        for (String domain : settings.domains()) {
            begun.put(domain, begin(domain, "<domainbackup mode='push'/>", checkpoint));
        }
        Map<String, JsonNode> started = awaitStarted(begun);
        awaitCompleted(begun, started);
        for (String domain : settings.domains()) {
            awaitCheckpointInLineage(domain, begun.get(domain), checkpoint);
            for (JsonNode disk : started.get(domain).path("disks")) {
                Path target = Path.of(disk.at("/store/path").asText());
                check(domain, disk.get("name").asText(), checkpoint, "full push", target);
                chainHeads.put(domain + "/" + disk.get("name").asText(), target);
                pushTargets.computeIfAbsent(domain + "/" + disk.get("name").asText(), k -> new ArrayList<>())
                        .add(target);
            }
        }
    }

    private void incrementalBackups(int step) {
        String base = run + "-c1";
        String checkpoint = run + "-c2";
        console.step(step, "the guests write; estimated dirty size of " + base + " (SIZE); incremental push backup "
                + "creating " + checkpoint + "; restore it from the catalog (restore.begin)");
        for (String domain : settings.domains()) {
            for (JsonNode disk : domains.get(domain).path("disks")) {
                writeGuestData(domain, disk, 0x5a, 4L << 20, 2L << 20);
                writeGuestData(domain, disk, 0xc3, disk.get("virtualSize").asLong() / 2, 512L << 10);
            }
        }
        for (String domain : settings.domains()) {
            String url = checkpoints(domain) + "/" + base + "?flags=SIZE,NO_DOMAIN";
            Matcher sizes = DISK_SIZE.matcher(rest.xml(url));
            boolean any = false;
            while (sizes.find()) {
                any = true;
                console.info("%s %s: about %s changed since %s (GET .../checkpoints/%s?flags=SIZE)", domain,
                        sizes.group(1), Console.size(Long.parseLong(sizes.group(2))), base, base);
            }
            if (!any) {
                throw new TourFailure("the SIZE description of " + base + " on " + domain + " has no disk sizes");
            }
        }
        Map<String, String> begun = new LinkedHashMap<>();
        for (String domain : settings.domains()) {
            begun.put(domain, begin(domain, "<domainbackup mode='push'><incremental>" + base
                    + "</incremental></domainbackup>", checkpoint));
        }
        Map<String, JsonNode> started = awaitStarted(begun);
        awaitCompleted(begun, started);
        for (String domain : settings.domains()) {
            awaitCheckpointInLineage(domain, begun.get(domain), checkpoint);
            for (JsonNode disk : started.get(domain).path("disks")) {
                String key = domain + "/" + disk.get("name").asText();
                Path target = Path.of(disk.at("/store/path").asText());
                console.info("%s %s: incremental target %s holds %s of clusters", domain, disk.get("name").asText(),
                        target.getFileName(), Console.size(target.toFile().length()));
                pushTargets.get(key).add(target);
            }
        }
        // Cairn stacks the chain itself: restore.begin of the new checkpoint, every disk as a standalone copy.
        Map<String, String> restores = new LinkedHashMap<>();
        for (String domain : settings.domains()) {
            restores.put(domain, restore(domain, checkpoint, "copy"));
        }
        for (Map.Entry<String, String> entry : restores.entrySet()) {
            String domain = entry.getKey();
            for (JsonNode disk : awaitRestored(domain, entry.getValue()).path("disks")) {
                Path image = Path.of(disk.path("path").asText());
                check(domain, disk.path("name").asText(), checkpoint, "restored (copy)", image);
                chainHeads.put(domain + "/" + disk.path("name").asText(), image);
                restoredCopies.put(domain + "/" + disk.path("name").asText(), image);
            }
        }
    }

    /** Sends restore.begin of every disk of the domain at the checkpoint; answers its commandId. */
    private String restore(String domain, String checkpoint, String mode) {
        ObjectNode command = CommandSender.command("restore.begin", domain).put("checkpoint", checkpoint)
                .put("mode", mode);
        String commandId = commands.send(Topics.BACKUP_COMMANDS, command);
        console.info("%s: restore.begin %s of every disk at %s (Kafka %s)", domain, mode, checkpoint,
                Topics.BACKUP_COMMANDS);
        return commandId;
    }

    /** The restore's one outcome, with its progress on the way; a failed or refused restore ends the tour. */
    private JsonNode awaitRestored(String domain, String commandId) {
        JsonNode done = events.await(e -> commandId.equals(e.path("commandId").asText())
                && ("restore-completed".equals(e.path("type").asText())
                || "command-rejected".equals(e.path("type").asText())), event -> {
                    if ("restore-progress".equals(event.path("type").asText())
                            && commandId.equals(event.path("commandId").asText())) {
                        console.progress(domain, event.path("bytesDone").asLong(), event.path("bytesTotal").asLong());
                    }
                }, settings.timeout(), "restore-completed of " + commandId);
        if (!done.path("success").asBoolean()) {
            throw new TourFailure("restore of " + domain + " failed: " + done.path("error"));
        }
        for (JsonNode disk : done.path("disks")) {
            console.info("%s %s: restore-completed: %s (%s, %s) from %d checked artifacts", domain,
                    disk.path("name").asText(), disk.path("path").asText(), disk.path("format").asText(),
                    Console.size(disk.path("size").asLong()), disk.path("chain").size());
        }
        return done;
    }

    private void pullBackup(int step) {
        String domain = settings.mainDomain();
        String base = run + "-c2";
        String checkpoint = run + "-c3";
        console.step(step, "pull-mode incremental backup of " + domain + " from " + base + ", creating " + checkpoint
                + "; read only the dirty extents over NBD");
        for (JsonNode disk : domains.get(domain).path("disks")) {
            writeGuestData(domain, disk, 0x77, 10L << 20, 1L << 20);
        }
        // In the domain's own storage directory: the agent accepts a domain's sockets and files nowhere else.
        Path socket = settings.storageDir().resolve(domain).resolve("tour-" + run + ".sock");
        String begin = begin(domain, "<domainbackup mode='pull'><incremental>" + base + "</incremental>"
                + "<server transport='unix' socket='" + socket + "'/></domainbackup>", checkpoint);
        JsonNode started = awaitStarted(Map.of(domain, begin)).get(domain);
        JsonNode nbd = started.path("nbd");
        console.info("NBD server: %s", nbd.path("server"));
        Path server = Path.of(nbd.at("/server/socket").asText());
        for (JsonNode export : nbd.path("exports")) {
            String disk = export.get("disk").asText();
            console.info("%s: %s  (meta context %s)", disk, export.get("uri").asText(),
                    export.get("bitmapContext").asText());
            List<ImageTools.Extent> dirty = ImageTools.dirtyExtents(export.get("uri").asText(),
                    export.get("bitmapContext").asText());
            long bytes = dirty.stream().mapToLong(ImageTools.Extent::length).sum();
            console.info("  dirty extents (nbdinfo --map): %s", dirty.stream()
                    .map(e -> Console.size(e.offset()) + "+" + Console.size(e.length())).toList());
            if (!covers(dirty, 10L << 20, 1L << 20)) {
                throw new TourFailure("the dirty map of " + disk + " does not cover the 1 MiB the guest wrote at "
                        + "10 MiB: " + dirty);
            }
            String key = domain + "/" + disk;
            Path overlay = ImageTools.overlay(chainHeads.get(key), restoreDir(domain)
                    .resolve(disk + "." + checkpoint + ".qcow2"));
            for (ImageTools.Extent extent : dirty) {
                ImageTools.copyExtent(server, export.get("exportName").asText(), extent, overlay);
            }
            console.info("  read %s over NBD (of %s) into %s", Console.size(bytes),
                    Console.size(diskSize(domain, disk)), overlay.getFileName());
            check(domain, disk, checkpoint, "chain + pulled extents", overlay);
            chainHeads.put(key, overlay);
        }
        awaitCheckpointInLineage(domain, begin, checkpoint);
        ObjectNode abort = CommandSender.command("backup.abort", domain);
        String abortId = commands.send(Topics.BACKUP_COMMANDS, abort);
        console.info("reader done: backup.abort sent (%s)", abortId);
        String jobId = started.get("jobId").asText();
        JsonNode completed = events.await(e -> ("backup-completed".equals(e.path("type").asText())
                && jobId.equals(e.path("jobId").asText())) || (abortId.equals(e.path("commandId").asText())
                && "command-rejected".equals(e.path("type").asText())), e -> { }, settings.timeout(),
                "backup-completed of the aborted pull job " + jobId);
        if (!"backup-completed".equals(completed.path("type").asText())) {
            throw new TourFailure("the abort was rejected: " + completed.path("error"));
        }
        console.info("backup-completed: status %s, success %s (libvirt: an aborted pull backup has succeeded)",
                completed.path("status").asText(), completed.path("success").asBoolean());
        if (!completed.path("success").asBoolean()) {
            throw new TourFailure("the aborted pull backup did not end as success: " + completed);
        }
    }

    private void verifyChains(int step) {
        console.step(step, "every restore chain against the disk at its checkpoint (qemu-img compare)");
        for (Verdict verdict : verdicts) {
            console.info("%-9s %-4s %-7s %-22s %-10s %s", verdict.domain(), verdict.disk(), verdict.checkpoint(),
                    verdict.kind(), verdict.identical() ? "IDENTICAL" : "DIFFERENT", verdict.image());
        }
        List<Verdict> bad = verdicts.stream().filter(v -> !v.identical()).toList();
        if (!bad.isEmpty()) {
            throw new TourFailure(bad.size() + " restore chain(s) differ from the disk: " + bad);
        }
        console.info("%d chains, all identical to the disk at their checkpoint.", verdicts.size());
    }

    /**
     * The backup catalog knows the same chains the tour stacked by hand: for the incremental's checkpoint, each disk's
     * chain is the full target then the incremental one, and each file still has the checksum the agent recorded.
     */
    private void catalog(int step) {
        String checkpoint = run + "-c2";
        console.step(step, "the backup catalog's restore point " + checkpoint + " of every VM (GET "
                + settings.backupUrl() + "/api/v1/domains/{domain}/restore-points/" + checkpoint + ")");
        for (String domain : settings.domains()) {
            JsonNode point = rest.json(settings.backupUrl() + "/api/v1/domains/" + domain + "/restore-points/"
                    + checkpoint);
            if (!point.path("complete").asBoolean()) {
                throw new TourFailure("the catalog cannot restore " + domain + " at " + checkpoint + ": "
                        + point.path("problems"));
            }
            for (JsonNode disk : point.path("disks")) {
                String key = domain + "/" + disk.path("disk").asText();
                List<Path> chain = new ArrayList<>();
                for (JsonNode artifact : disk.path("chain")) {
                    Path file = Path.of(artifact.path("path").asText());
                    String recorded = artifact.path("sha256").asText();
                    if (!recorded.equals(ImageTools.sha256(file))) {
                        throw new TourFailure("the catalog's checksum of " + file + " is not the file's");
                    }
                    chain.add(file);
                }
                if (!chain.equals(pushTargets.get(key))) {
                    throw new TourFailure("the catalog's chain of " + key + " is " + chain + ", the tour wrote "
                            + pushTargets.get(key));
                }
                console.info("%s %s: %d artifacts, full first, checksums match the files: %s", domain,
                        disk.path("disk").asText(), chain.size(),
                        String.join(" <- ", chain.stream().map(p -> p.getFileName().toString()).toList()));
            }
        }
        console.info("the same from the command line: bin/cairn restore-points %s", settings.mainDomain());
        // The same restore point once more, as a thin overlay on the artifacts: ready at once, the same disk.
        String domain = settings.mainDomain();
        for (JsonNode disk : awaitRestored(domain, restore(domain, checkpoint, "thin")).path("disks")) {
            Path thin = Path.of(disk.path("path").asText());
            Path copy = restoredCopies.get(domain + "/" + disk.path("name").asText());
            if (!ImageTools.identical(copy, thin)) {
                throw new TourFailure("the thin restore " + thin + " differs from the restored copy " + copy);
            }
            console.info("%s %s: thin overlay %s (%s) reads the same as the copy %s", domain,
                    disk.path("name").asText(), thin.getFileName(), Console.size(disk.path("size").asLong()),
                    copy.getFileName());
        }
        console.info("from the command line: bin/cairn restore %s %s [--thin] [--disk vda=PATH]", domain,
                checkpoint);
    }

    /**
     * Retention on the main VM: a policy keeping only the newest restore point, applied over Kafka. The full under
     * it is merged into the kept incremental and deleted, and the kept point still restores the same disk. The policy
     * is removed again, so a second tour's chains stay as it writes them.
     */
    private void retention(int step) {
        String domain = settings.mainDomain();
        String checkpoint = run + "-c2";
        String url = settings.backupUrl() + "/api/v1/domains/" + domain + "/retention";
        console.step(step, "retention: keep only the newest restore point of " + domain + " (PUT " + url
                + "), then retention.apply on Kafka");
        JsonNode view = rest.put(url, "{\"keepLast\": 1}");
        console.info("%s: the dry run keeps %d point(s), merges %d link(s), deletes %d artifact(s)", domain,
                view.at("/plan/kept").size(), view.at("/plan/merges").size(), view.at("/plan/deletions").size());
        String applyId = commands.send(Topics.BACKUP_COMMANDS, CommandSender.command("retention.apply", domain));
        JsonNode applied = events.awaitOutcome(applyId, "retention-applied", e -> { }, settings.timeout());
        if (!applied.path("success").asBoolean()) {
            throw new TourFailure("retention of " + domain + " failed: " + applied.path("error"));
        }
        for (JsonNode merged : applied.path("merged")) {
            console.info("%s %s: %s merged into %s (now %s)", domain, merged.path("disk").asText(),
                    merged.path("mergedAway").asText(), Path.of(merged.path("path").asText()).getFileName(),
                    merged.path("incrementalFrom").asText("").isEmpty() ? "a full"
                            : "on " + merged.path("incrementalFrom").asText());
        }
        for (JsonNode deleted : applied.path("deleted")) {
            Path file = Path.of(deleted.path("path").asText());
            if (java.nio.file.Files.exists(file)) {
                throw new TourFailure("retention reported " + file + " deleted, but it is still there");
            }
            console.info("%s %s: deleted %s", domain, deleted.path("disk").asText(), file.getFileName());
        }
        if (applied.path("deleted").isEmpty()) {
            throw new TourFailure("retention of " + domain + " with keepLast 1 deleted nothing");
        }
        console.info("%s: %s freed; checkpoint(s) no kept point needs: %s (Cairn leaves deleting them to you)",
                domain, Console.size(applied.path("bytesFreed").asLong()), applied.path("unneededCheckpoints")
                        .findValuesAsText("checkpoint"));
        for (JsonNode disk : awaitRestored(domain, restore(domain, checkpoint, "copy")).path("disks")) {
            Path again = Path.of(disk.path("path").asText());
            Path copy = restoredCopies.get(domain + "/" + disk.path("name").asText());
            if (!ImageTools.identical(copy, again)) {
                throw new TourFailure("after retention, " + checkpoint + " restores to " + again
                        + ", which differs from the copy restored before " + copy);
            }
            console.info("%s %s: %s restores the same disk as before retention", domain, disk.path("name").asText(),
                    checkpoint);
        }
        console.info("the thin overlay of step %d needed the deleted full: a thin restore reads its artifacts, "
                + "so keep thin images only while their points are kept", step - 1);
        rest.delete(url);
        console.info("from the command line: bin/cairn retention-set %s --keep-last 1; bin/cairn prune %s", domain,
                domain);
    }

    private void lineage(int step) {
        String domain = settings.mainDomain();
        String middle = run + "-c2";
        console.step(step, "the lineage of " + domain + " as a tree; delete the middle checkpoint " + middle);
        printTree(domain);
        ObjectNode delete = CommandSender.command("checkpoint.delete", domain).put("checkpoint", middle);
        delete.putArray("flags");
        String deleteId = commands.send(Topics.CHECKPOINT_COMMANDS, delete);
        JsonNode deleted = events.awaitOutcome(deleteId, "checkpoint-deleted", e -> { }, settings.timeout());
        console.info("checkpoint-deleted: %s (its bitmaps removed on the host; its children re-parented)",
                deleted.path("checkpoints"));
        printTree(domain);
        String parent = rest.json(checkpoints(domain) + "/" + run + "-c3/parent").at("/checkpoint/name").asText();
        if (!(run + "-c1").equals(parent)) {
            throw new TourFailure(run + "-c3's parent after deleting " + middle + " is '" + parent + "', not "
                    + run + "-c1");
        }
    }

    private void whereThingsAre(int step) {
        console.step(step, "everything keeps running; where things are");
        console.info("web console       %s/console   (log in with a token; the lineage of %s is under Fleet)",
                settings.backupUrl(), settings.mainDomain());
        console.info("checkpoint REST   %s/api/v1/domains/{domain}/checkpoints", settings.checkpointUrl());
        console.info("backup REST       %s/api/v1/domains/{domain}/backup   fleet: %s/api/v1/hosts",
                settings.backupUrl(), settings.backupUrl());
        console.info("REST needs a token  curl -H \"Authorization: Bearer $(deploy/local/cairn token --role viewer)\" "
                + "%s/api/v1/domains/%s/checkpoints   (roles viewer, operator, admin; --domains limits the scope)",
                settings.checkpointUrl(), settings.mainDomain());
        console.info("health            /q/health on each service's port, open for probes");
        console.info("metrics, OpenAPI  /q/metrics  /q/openapi on each service's management port only "
                + "(deploy/local/cairn: its port + 1000)");
        console.info("Kafka             %s   commands: %s, %s   events: %s, %s", settings.kafkaBootstrap(),
                Topics.CHECKPOINT_COMMANDS, Topics.BACKUP_COMMANDS, Topics.CHECKPOINT_EVENTS, Topics.BACKUP_EVENTS);
        console.info("publish a command with Kafka's own console producer (key = domain), as a principal of yours:");
        console.info("  deploy/local/cairn kafka-user me > me.properties   # write commands, read events, groups me-*");
        console.info("  echo 'demo-db|{\"commandId\":\"my-1\",\"type\":\"checkpoint.create\",\"domain\":\"demo-db\","
                + "\"checkpointXml\":\"<domaincheckpoint><name>mine</name></domaincheckpoint>\"}' | \\");
        console.info("  kafka-console-producer.sh --bootstrap-server %s --producer.config me.properties --topic %s "
                + "--property parse.key=true --property key.separator='|'", settings.kafkaBootstrap(),
                Topics.CHECKPOINT_COMMANDS);
        console.info("stop everything   deploy/local/cairn down");
    }

    private String begin(String domain, String backupXml, String checkpoint) {
        ObjectNode command = CommandSender.command("backup.begin", domain).put("backupXml", backupXml)
                .put("checkpointXml", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
        String commandId = commands.send(Topics.BACKUP_COMMANDS, command);
        console.info("%s: backup.begin %s + checkpoint %s", domain, backupXml, checkpoint);
        return commandId;
    }

    private Map<String, JsonNode> awaitStarted(Map<String, String> begun) {
        Map<String, JsonNode> started = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : begun.entrySet()) {
            JsonNode event = events.awaitOutcome(entry.getValue(), "backup-started", e -> { }, settings.timeout());
            started.put(entry.getKey(), event);
            for (JsonNode disk : event.path("disks")) {
                console.info("%s: backup-started job %s: %s %s -> %s", entry.getKey(), event.get("jobId").asText(),
                        disk.get("name").asText(), disk.path("backupmode").asText("full"),
                        disk.at("/store/path").asText());
            }
        }
        return started;
    }

    private void awaitCompleted(Map<String, String> begun, Map<String, JsonNode> started) {
        for (Map.Entry<String, String> entry : begun.entrySet()) {
            String domain = entry.getKey();
            JsonNode done = events.awaitOutcome(entry.getValue(), "backup-completed", event -> {
                if ("backup-progress".equals(event.path("type").asText())) {
                    JsonNode stats = event.path("statistics");
                    console.progress(event.path("domain").asText(), stats.path("disk_processed").asLong(),
                            stats.path("disk_total").asLong());
                }
            }, settings.timeout());
            JsonNode stats = done.path("statistics");
            console.progress(domain, stats.path("disk_processed").asLong(), stats.path("disk_total").asLong());
            console.info("%s: backup-completed job %s: status %s, %s copied in %d ms", domain,
                    done.get("jobId").asText(), done.path("status").asText(),
                    Console.size(stats.path("disk_processed").asLong()), stats.path("time_elapsed").asLong());
            if (!done.path("success").asBoolean()) {
                throw new TourFailure("backup of " + domain + " failed: " + done.path("errmsg").asText());
            }
            reportFirstCompletion();
        }
    }

    /** 'cairn up' passes its start time: the tour says how long a new user waits for the first finished backup. */
    private void reportFirstCompletion() {
        String upStarted = System.getenv("CAIRN_UP_STARTED_MS");
        if (!firstCompletionReported && upStarted != null && !upStarted.isBlank()) {
            firstCompletionReported = true;
            console.info("(first backup-completed %.1f s after 'cairn up' began)",
                    (System.currentTimeMillis() - Long.parseLong(upStarted.trim())) / 1000.0);
        }
    }

    /** The checkpoint created with the backup reaches the lineage (checkpoint-created from checkpoint-service). */
    private void awaitCheckpointInLineage(String domain, String backupCommandId, String checkpoint) {
        JsonNode created = events.awaitOutcome(backupCommandId, "checkpoint-created", e -> { }, settings.timeout());
        console.info("%s: checkpoint-created %s (parent %s)", domain, created.at("/checkpoint/name").asText(),
                created.at("/checkpoint/parent").asText("none"));
        if (!checkpoint.equals(created.at("/checkpoint/name").asText())) {
            throw new TourFailure("expected checkpoint " + checkpoint + " but the lineage recorded " + created);
        }
    }

    private void writeGuestData(String domain, JsonNode disk, int pattern, long offset, long length) {
        String device = disk.get("device").asText();
        GuestDisk.write(settings.guestSocket(domain), device, pattern, offset, length);
        console.info("%s %s: guest wrote %s of 0x%02x at %s", domain, device, Console.size(length), pattern,
                Console.size(offset));
    }

    private void check(String domain, String disk, String checkpoint, String kind, Path image) {
        Path live = Path.of(diskOf(domain, disk).get("file").asText());
        boolean identical = ImageTools.identical(live, image);
        verdicts.add(new Verdict(domain, disk, checkpoint, kind, image, identical));
    }

    private void printTree(String domain) {
        for (String line : LineageTree.render(rest.json(checkpoints(domain) + "?flags=TOPOLOGICAL"))) {
            console.info("  %s", line);
        }
    }

    private static boolean covers(List<ImageTools.Extent> dirty, long offset, long length) {
        long end = offset + length;
        for (ImageTools.Extent e : dirty) {
            if (e.offset() <= offset && e.offset() + e.length() >= end) {
                return true;
            }
        }
        return false;
    }

    private JsonNode diskOf(String domain, String device) {
        for (JsonNode disk : domains.get(domain).path("disks")) {
            if (device.equals(disk.get("device").asText())) {
                return disk;
            }
        }
        throw new TourFailure("no disk " + device + " on " + domain);
    }

    private long diskSize(String domain, String device) {
        return diskOf(domain, device).get("virtualSize").asLong();
    }

    private Path restoreDir(String domain) {
        return settings.storageDir().resolve("tour").resolve(run).resolve(domain);
    }

    private String checkpoints(String domain) {
        return settings.checkpointUrl() + "/api/v1/domains/" + domain + "/checkpoints";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TourFailure("interrupted");
        }
    }
}
