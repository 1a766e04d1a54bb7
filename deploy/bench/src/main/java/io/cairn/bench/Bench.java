package io.cairn.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.bench.ResultTable.Row;
import io.cairn.events.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * 'cairn bench': every path of issue 17 measured in one run on the running stack, Cairn next to QEMU alone on the same
 * VM and disk, with a per-hop breakdown of the control-plane paths from the services' spans; prints the table as it
 * goes and writes it to a file so two runs can be compared.
 */
public final class Bench {
    static final Duration STEP_WAIT = Duration.ofMinutes(5);

    private final BenchSettings settings;
    private final PrintStream out;
    private final ResultTable table = new ResultTable();
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    Bench(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) {
        int reps = 100;
        int dataReps = 3;
        int burst = 1000;
        int burstDomains = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    reps = 10;
                    dataReps = 1;
                    burst = 200;
                    burstDomains = 20;
                }
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--data-reps" -> dataReps = Integer.parseInt(args[++i]);
                case "--burst" -> burst = Integer.parseInt(args[++i]);
                case "--burst-domains" -> burstDomains = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("bench: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        BenchSettings settings = BenchSettings.fromEnvironment(System.getenv(), reps, dataReps, burst, burstDomains);
        System.exit(new Bench(settings, System.out).run());
    }

    /** Runs every row; 0 when the table is complete, 1 when a step failed (the table so far is still written). */
    int run() {
        long started = System.nanoTime();
        int exit = 0;
        String libvirt = Commands.installed("virsh") ? "installed (not driven yet)" : "not installed";
        String header = ("Cairn benchmark %s, run %s on %s; VM %s; %d control-plane samples per path, %d data-plane; "
                + "libvirt: %s, so its column is the issue's figure for this machine (checkpoint create 16 ms, backup "
                + "begin 36 ms), not a measurement").formatted(Instant.now().truncatedTo(java.time.temporal.ChronoUnit
                .SECONDS), run, hostName(), settings.domain(), settings.reps(), settings.dataReps(), libvirt);
        status("%s", header);
        Footprint footprint = new Footprint(settings.runDir());
        HopBreakdown spans = HopBreakdown.from(settings.traceFile());
        try (CairnClient cairn = new CairnClient(settings.kafkaClient(), List.of(Topics.CHECKPOINT_EVENTS,
                Topics.BACKUP_EVENTS)); QmpSession qmp = QmpSession.connect(settings.guestQmp())) {
            Files.createDirectories(settings.workDir());
            QemuAlone qemu = new QemuAlone(qmp);
            qemu.removeLeftoverBitmaps();
            awaitDomainKnown();
            status("disk %s (%s), %d MiB; QEMU alone through %s", qemu.disk().device(), qemu.disk().node(),
                    qemu.disk().size() >> 20, settings.guestQmp());
            new KafkaFloor(settings, this).measure();
            ControlPlane control = new ControlPlane(settings, this, cairn, qemu, spans, run);
            control.checkpointCreateAndDelete();
            control.backupBegin();
            control.pullBegin();
            new DataPlane(settings, this, cairn, qemu, run).pushFullAndIncremental();
            new Burst(settings, this, cairn, run).measure();
            table.add(new Row("fleet: 100 backups, 20 VMs, 3 agents", "not measured by this version", "-", "-",
                    "≥ 10 backups/s", "-"));
        } catch (Exception e) {
            status("FAILED: %s", e.getMessage());
            table.detail("The run stopped early:", List.of("  " + e));
            exit = 1;
        } finally {
            footprint.close();
            footprintRows(footprint);
        }
        String rendered = table.render(header);
        out.println();
        out.print(rendered);
        Path written = write(rendered);
        status("done in %d s; table written to %s", (System.nanoTime() - started) / 1_000_000_000L, written);
        return exit;
    }

    /** The agent adopts a new VM within seconds; the services must know it before the first command. */
    private void awaitDomainKnown() {
        java.net.URI hosts = java.net.URI.create(settings.backupUrl() + "/api/v1/hosts");
        Rest rest = new Rest(settings.token());
        Waiting.until(() -> rest.get(hosts).toString().contains("\"" + settings.domain() + "\""),
                Duration.ofSeconds(90), "host agent reporting " + settings.domain());
    }

    private void footprintRows(Footprint footprint) {
        for (String name : Footprint.PROCESSES) {
            Long idle = footprint.idleKib().get(name);
            Long peak = footprint.peakKib().get(name);
            if (idle == null || peak == null) {
                table.add(new Row("footprint " + name, "not running (no pid file in " + settings.runDir() + ")",
                        "-", "-", "-", "-"));
                continue;
            }
            long limitMib = "host-agent".equals(name) ? 150 : 250;
            table.add(new Row("footprint " + name + " (RSS)", "idle %d MiB, peak %d MiB".formatted(idle >> 10,
                    peak >> 10), "-", "-", "≤ " + limitMib + " MiB", ResultTable.met((peak >> 10) <= limitMib)));
        }
    }

    private Path write(String rendered) {
        try {
            Files.createDirectories(settings.outputDir());
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.now());
            Path file = settings.outputDir().resolve("bench-" + stamp + ".txt");
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
            Files.writeString(settings.outputDir().resolve("latest.txt"), rendered, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            status("cannot write the table to %s: %s", settings.outputDir(), e.getMessage());
            return null;
        }
    }

    void row(Row row) {
        table.add(row);
        status("%s: Cairn %s | QEMU alone %s | %s | target %s: %s", row.path(), row.cairn(), row.qemu(), row.ratio(),
                row.target(), row.met());
    }

    void detail(String title, List<String> lines) {
        table.detail(title, lines);
    }

    void status(String format, Object... args) {
        out.printf("[bench] " + format + "%n", args);
        out.flush();
    }

    /** A progress line every tenth of a loop, so a long row is never silent. */
    void progress(String what, int done, int total) {
        if (total >= 10 && done % (total / 10) == 0 && done > 0 && done < total) {
            status("  %s: %d/%d", what, done, total);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    static ObjectNode checkpointCreate(String domain, String name) {
        return CairnClient.command("checkpoint.create", domain).put("checkpointXml",
                "<domaincheckpoint><name>" + name + "</name></domaincheckpoint>");
    }

    static ObjectNode checkpointDelete(String domain, String name) {
        return CairnClient.command("checkpoint.delete", domain).put("checkpoint", name);
    }

    static ObjectNode backupBegin(String domain, String backupXml, String checkpoint) {
        ObjectNode command = CairnClient.command("backup.begin", domain).put("backupXml", backupXml);
        if (checkpoint != null) {
            command.put("checkpointXml", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
        }
        return command;
    }

}
