package io.cairn.soak;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The table at the end: what was sent, what was injected, what came back, and every invariant's verdict. */
final class Report {
    private static final int EXAMPLES = 5;

    private final Soak soak;
    private final Checks checks;
    private final StringBuilder text = new StringBuilder();

    Report(Soak soak, Checks checks) {
        this.soak = soak;
        this.checks = checks;
    }

    String render() {
        Violations violations = soak.violations();
        long now = System.currentTimeMillis();
        line("CAIRN FAULT SOAK %s  (seed %d)", soak.runId(), soak.settings().seed());
        line("workload %.1f min with faults, settle %s, %.1f min in all", (soak.workloadEnd() - soak.workloadStart())
                / 60000.0, soak.settleSummary(), (now - soak.startMillis()) / 60000.0);
        line("fleet: %d guest-less QEMUs on 2 host agents %s, checkpoint-service + backup-service (packaged jars, "
                + "%d and %d starts), private Kafka %s, private PostgreSQL 127.0.0.1:%d", soak.fleet().vms().size(),
                soak.fleet().vms().stream().map(vm -> vm.domain() + "@" + vm.agentName().replace("agent-", ""))
                        .toList(), soak.fleet().checkpointService().starts(), soak.fleet().backupService().starts(),
                soak.fleet().bootstrap(), soak.fleet().stack().postgres().port());
        line("");

        line("%-40s %6s %9s %7s %12s %11s", "COMMANDS SENT (by type)", "sent", "accepted", "kafka", "kafka twice",
                "kafka+REST");
        Map<String, int[]> byType = new TreeMap<>();
        for (Ledger.Command command : soak.ledger().commands()) {
            int[] row = byType.computeIfAbsent(command.type + (command.duringSettle ? " (settle)" : ""),
                    k -> new int[5]);
            row[0]++;
            row[1] += command.accepted() ? 1 : 0;
            row[2 + command.channel.ordinal()]++;
        }
        int[] total = new int[5];
        byType.forEach((type, row) -> {
            line("  %-38s %6d %9d %7d %12d %11d", type, row[0], row[1], row[2], row[3], row[4]);
            for (int i = 0; i < 5; i++) {
                total[i] += row[i];
            }
        });
        line("  %-38s %6d %9d %7d %12d %11d", "all", total[0], total[1], total[2], total[3], total[4]);
        line("");

        line("%-40s %6s", "WORKLOAD ACTIONS", "count");
        soak.workload().actions.snapshot().forEach((name, count) -> line("  %-38s %6d", name, count));
        line("");

        line("%-40s %6s", "FAULTS INJECTED (by kind)", "count");
        for (Faults.Kind kind : Faults.Kind.values()) {
            line("  %-38s %6d", kind.label, soak.faults().byKind.get(kind.label));
        }
        line("  %-38s %6d", "all", soak.faults().byKind.total());
        if (!soak.fleet().storageNote().isEmpty()) {
            line("  (%s)", soak.fleet().storageNote());
        }
        line("");

        line("%-58s %6s", "OUTCOMES (by command type; from the topics, read again)", "count");
        checks.outcomes.forEach((type, outcomes) -> outcomes.forEach((outcome, count) ->
                line("  %-56s %6d", type + " -> " + outcome, count)));
        line("%-58s %6s", "JOB ENDINGS (backup-completed)", "count");
        checks.jobEndings.forEach((ending, count) -> line("  %-56s %6d", ending, count));
        soak.brokenSeen().snapshot().forEach((when, count) -> line("  %-56s %6d", "checkpoint-broken " + when,
                count));
        line("  (%d events on cairn.checkpoint.events and cairn.backup.events, all in %s)", checks.eventCount(),
                soak.runDir().resolve("events.txt"));
        line("");

        line("%-40s %7s %7s %7s %7s %7s", "TIME TO OUTCOME (s, by command type)", "p50", "p90", "p99", "max",
                ">60 s");
        checks.latencies.forEach((type, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            line("  %-38s %7.1f %7.1f %7.1f %7.1f %7d", type, at(sorted, 0.5), at(sorted, 0.9), at(sorted, 0.99),
                    sorted.get(sorted.size() - 1) / 1000.0, sorted.stream().filter(v -> v > 60_000).count());
        });
        line("");

        line("%-56s %10s", "INVARIANTS", "violations");
        for (String invariant : Violations.ALL) {
            line("  %-54s %10d", invariant, violations.of(invariant).size());
            String coverage = violations.coverageOf(invariant);
            if (!coverage.isEmpty()) {
                line("      checked: %s", coverage);
            }
        }
        line("  %-54s %10d", "all", violations.total());
        if (soak.liveDuplicates() > 0) {
            line("  (%d second outcomes were also seen live, as they arrived)", soak.liveDuplicates());
        }
        for (String invariant : Violations.ALL) {
            List<String> found = violations.of(invariant);
            if (found.isEmpty()) {
                continue;
            }
            line("");
            line("FIRST %d OF %d VIOLATIONS OF %s:", Math.min(EXAMPLES, found.size()), found.size(), invariant);
            found.stream().limit(EXAMPLES).forEach(v -> line("  - %s", v));
        }
        List<String> notes = soak.violations().notes();
        line("");
        line("LIMITS OF THIS RUN (what could not be checked, or should be known):");
        line("  - (2) looks at what QEMU and the storage show (jobs, exports, nodes, bitmaps, NBD sockets, scratch and "
                + "partial targets); an NBD server without an export cannot be listed over QMP: its socket is probed.");
        line("  - (5) compares Cairn's verdict with QEMU's BLOCK_JOB_* events only for jobs the soak's monitor saw "
                + "throughout (or whose QEMU the soak killed); the rest are counted as not observable above.");
        line("  - (6) compares backups with the guest model (the guest's pattern writes replayed into a raw image); a "
                + "chain is only comparable when its base checkpoint has a verified restore image.");
        notes.stream().limit(20).forEach(n -> line("  - %s", n));
        if (notes.size() > 20) {
            line("  - ... %d more notes", notes.size() - 20);
        }
        line("");
        line("RESULT: %s", violations.total() == 0 ? "PASS, 0 violations"
                : "FAIL, " + violations.total() + " violation(s)");
        return text.toString();
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile))) / 1000.0;
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
