package io.cairn.soak;

import io.cairn.testing.agent.AgentProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Faults at random intervals, one at a time, each undone before the next: kill -9 of each service and each agent
 * (then started again), a QEMU crash (kill -9, then QEMU again on the same disks), a broker restart, a PostgreSQL
 * restart, and agent B's backup filesystem full for a while. The kinds come in shuffled rounds, so a run long enough
 * for a round injects every kind.
 */
final class Faults {
    enum Kind {
        KILL_CHECKPOINT_SERVICE("kill -9 checkpoint-service"),
        KILL_BACKUP_SERVICE("kill -9 backup-service"),
        KILL_AGENT_A("kill -9 agent-a"),
        KILL_AGENT_B("kill -9 agent-b"),
        QEMU_CRASH("QEMU crash (kill -9)"),
        BROKER_RESTART("Kafka broker restart"),
        POSTGRES_RESTART("PostgreSQL restart"),
        STORAGE_FULL("backup storage full (ENOSPC)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One fault as it happened. */
    record Injected(Kind kind, String target, long startMillis, long endMillis, String detail) {
    }

    private final Soak soak;
    private final Random random;
    private final Duration interval;
    /** When faults stop starting: the workload's last stretch runs without one, so recovery overlaps it. */
    private final long lastStartMillis;
    private final List<Injected> injected = new ArrayList<>();
    final Tally byKind = new Tally();
    private Thread thread;
    private volatile boolean stopping;
    private volatile String current = "";

    Faults(Soak soak, Random random, Duration interval, Duration window) {
        this.soak = soak;
        this.random = random;
        this.interval = interval;
        this.lastStartMillis = System.currentTimeMillis() + window.toMillis();
    }

    /**
     * The stretch at the workload's end in which no fault starts: the settle waits for the agents' reconciler (every
     * 60 s) to run after the last fault, and the workload covers that wait instead of the settle. A minute, or a
     * third of a short workload.
     */
    static Duration quietTail(Duration workload) {
        Duration third = workload.dividedBy(3);
        return third.compareTo(Duration.ofMinutes(1)) < 0 ? third : Duration.ofMinutes(1);
    }

    void start() {
        thread = new Thread(this::run, "soak-faults");
        thread.setDaemon(true);
        thread.start();
    }

    /** No new fault; the one under way is undone first (bounded). */
    void stop(Duration wait) {
        stopping = true;
        if (thread != null) {
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String current() {
        return current;
    }

    List<Injected> injected() {
        synchronized (injected) {
            return List.copyOf(injected);
        }
    }

    private void run() {
        List<Kind> round = new ArrayList<>();
        while (!stopping && !soak.aborted()) {
            long gap = (long) (interval.toMillis() * (0.5 + random.nextDouble()));
            Tools.until(Duration.ofMillis(gap), Duration.ofMillis(200), () -> stopping || soak.aborted());
            if (stopping || soak.aborted()) {
                return;
            }
            if (System.currentTimeMillis() >= lastStartMillis) {
                return; // the quiet tail: the workload runs on without faults
            }
            if (round.isEmpty()) {
                round.addAll(List.of(Kind.values()));
                if (!soak.fleet().canFillStorage()) {
                    round.remove(Kind.STORAGE_FULL);
                }
                Collections.shuffle(round, random);
            }
            Kind kind = round.remove(0);
            try {
                inject(kind);
            } catch (RuntimeException e) {
                soak.fail("the " + kind.label + " fault could not be undone: " + e.getMessage());
                return;
            }
        }
    }

    private void inject(Kind kind) {
        long start = System.currentTimeMillis();
        String target;
        String detail;
        switch (kind) {
            case KILL_CHECKPOINT_SERVICE, KILL_BACKUP_SERVICE -> {
                SoakService service = kind == Kind.KILL_CHECKPOINT_SERVICE ? soak.fleet().checkpointService()
                        : soak.fleet().backupService();
                target = service.module();
                begin(kind, target);
                service.kill9();
                long down = 1_000 + random.nextInt(5_000);
                Tools.sleep(down);
                retry(3, service::start);
                detail = "down " + seconds(down) + ", ready again after " + seconds(System.currentTimeMillis()
                        - start);
            }
            case KILL_AGENT_A, KILL_AGENT_B -> {
                target = kind == Kind.KILL_AGENT_A ? "agent-a" : "agent-b";
                AgentProcess agent = soak.fleet().agents().get(target);
                begin(kind, target);
                agent.kill9();
                long down = 2_000 + random.nextInt(8_000);
                Tools.sleep(down);
                retry(3, agent::restart);
                detail = "down " + seconds(down) + ", ready again after " + seconds(System.currentTimeMillis()
                        - start);
            }
            case QEMU_CRASH -> {
                SoakVm vm = soak.fleet().vms().get(random.nextInt(soak.fleet().vms().size()));
                target = vm.domain();
                begin(kind, target);
                vm.crash();
                long down = 1_000 + random.nextInt(4_000);
                Tools.sleep(down);
                retry(3, vm::restartAfterCrash);
                detail = "QEMU down " + seconds(down) + ", restarted on the same disks";
            }
            case BROKER_RESTART -> {
                target = soak.fleet().bootstrap();
                begin(kind, target);
                soak.fleet().stack().kafka().stop();
                long down = 4_000 + random.nextInt(8_000);
                Tools.sleep(down);
                retry(3, soak.fleet().stack().kafka()::start);
                detail = "down " + seconds(down) + ", serving again after " + seconds(System.currentTimeMillis()
                        - start);
            }
            case POSTGRES_RESTART -> {
                target = "127.0.0.1:" + soak.fleet().stack().postgres().port();
                begin(kind, target);
                soak.fleet().stack().postgres().stop();
                long down = 4_000 + random.nextInt(8_000);
                Tools.sleep(down);
                retry(3, soak.fleet().stack().postgres()::start);
                detail = "down " + seconds(down);
            }
            case STORAGE_FULL -> {
                target = soak.fleet().smallStorage().toString();
                begin(kind, target);
                long written;
                try {
                    written = soak.fleet().fillStorage();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot fill " + target + ": " + e.getMessage(), e);
                }
                long held = 15_000 + random.nextInt(25_000);
                Tools.sleep(held);
                try {
                    soak.fleet().freeStorage();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot free " + target + ": " + e.getMessage(), e);
                }
                detail = "filled with " + (written >> 20) + " MiB, full for " + seconds(held);
            }
            default -> throw new IllegalStateException("unknown fault " + kind);
        }
        long end = System.currentTimeMillis();
        synchronized (injected) {
            injected.add(new Injected(kind, target, start, end, detail));
        }
        byKind.add(kind.label);
        current = "";
        soak.say(String.format(Locale.ROOT, "fault %-32s %s: %s", kind.label, target, detail));
    }

    private void begin(Kind kind, String target) {
        current = kind.label + " (" + target + ")";
        soak.say("fault " + kind.label + " on " + target + " ...");
    }

    private static void retry(int attempts, Runnable step) {
        RuntimeException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                last = e;
                Tools.sleep(3_000);
            }
        }
        throw last;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
