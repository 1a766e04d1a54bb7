package io.cairn.bench;

import io.cairn.bench.CairnClient.Arrival;
import io.cairn.bench.CairnClient.Sent;
import io.cairn.bench.ResultTable.Row;
import io.cairn.events.topic.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Many commands at once: checkpoint.delete of checkpoints that do not exist, spread over many domains (each is
 * rejected, as a new user's script would see them), published without waiting; timed until every outcome is in, then
 * checked: one outcome per command, none lost, none twice, each domain's outcomes in the order of its commands.
 */
final class Burst {
    private final BenchSettings settings;
    private final Bench bench;
    private final CairnClient cairn;
    private final String run;

    Burst(BenchSettings settings, Bench bench, CairnClient cairn, String run) {
        this.settings = settings;
        this.bench = bench;
        this.cairn = cairn;
        this.run = run;
    }

    void measure() throws Exception {
        int count = settings.burst();
        int domains = settings.burstDomains();
        bench.status("burst: %d commands over %d domains, published at once", count, domains);
        List<CompletableFuture<Sent>> pending = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String domain = "bench-burst-" + run + "-" + (i % domains);
            pending.add(cairn.sendAsync(Topics.CHECKPOINT_COMMANDS, Bench.checkpointDelete(domain, "none-" + i)));
        }
        List<Sent> sent = new ArrayList<>();
        for (CompletableFuture<Sent> future : pending) {
            sent.add(future.get());
        }
        long last = 0;
        for (int i = 0; i < sent.size(); i++) {
            Arrival outcome = cairn.await(sent.get(i), Bench.STEP_WAIT, "command-rejected", "checkpoint-deleted");
            last = Math.max(last, outcome.nanos());
            bench.progress("burst outcomes", i, sent.size());
        }
        double seconds = (last - start) / 1e9;
        double rate = count / seconds;
        // A duplicate outcome would be published in its domain's order: once one more command of each domain is
        // answered, every outcome of the burst that was ever going to be sent twice has arrived (not timed).
        for (int d = 0; d < domains; d++) {
            cairn.await(cairn.send(Topics.CHECKPOINT_COMMANDS, Bench.checkpointDelete("bench-burst-" + run + "-" + d,
                    "none-after")), Bench.STEP_WAIT, "command-rejected", "checkpoint-deleted");
        }
        long duplicated = sent.stream().filter(s -> cairn.arrivals(s.commandId()).size() > 1).count();
        long outOfOrder = outOfOrderDomains(sent);
        String verdict = "%d outcomes in %.2f s, %d duplicated, 0 lost, %d domains out of order".formatted(count,
                seconds, duplicated, outOfOrder);
        bench.row(new Row("burst: %d commands over %d domains".formatted(count, domains),
                "%.0f outcomes/s".formatted(rate), "-", "-", "≥ 500/s, none lost or twice, order kept",
                ResultTable.met(rate >= 500 && duplicated == 0 && outOfOrder == 0)));
        bench.detail("burst:", List.of("  " + verdict));
    }

    /** Domains whose outcomes arrived in another order than their commands were published. */
    private long outOfOrderDomains(List<Sent> sent) {
        Map<String, List<Sent>> byDomain = new LinkedHashMap<>();
        sent.forEach(s -> byDomain.computeIfAbsent(s.domain(), d -> new ArrayList<>()).add(s));
        return byDomain.values().stream().filter(commands -> {
            long previous = Long.MIN_VALUE;
            for (Sent command : commands) {
                long arrived = cairn.arrivals(command.commandId()).get(0).nanos();
                if (arrived < previous) {
                    return true;
                }
                previous = arrived;
            }
            return false;
        }).count();
    }
}
