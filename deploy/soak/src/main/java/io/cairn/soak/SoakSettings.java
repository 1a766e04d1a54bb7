package io.cairn.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How long and how hard the soak runs.
 *
 * @param workload       how long commands and faults go on (then everything settles and is checked)
 * @param faultInterval  mean time between two faults; each gap is random within ±50 %
 * @param settleLimit    how long the soak waits after the workload for every outcome and job end
 * @param seed           the random seed (printed, so a run can be repeated with the same choices)
 * @param vmsPerAgent    guest-less VMs on each of the two agents
 * @param outputDir      where the report ({@code <timestamp>.txt}) and the run's logs go
 * @param jobSpeed       QEMU's per-disk backup speed limit on the agents (bytes/s), so jobs last long enough for
 *                       aborts and faults to land while they run
 */
record SoakSettings(Duration workload, Duration faultInterval, Duration settleLimit, long seed, int vmsPerAgent,
        Path outputDir, long jobSpeed) {

    static SoakSettings parse(String[] args, Path stateDir) {
        double minutes = 20;
        Double faultSeconds = null;
        double settleMinutes = 10;
        long seed = System.currentTimeMillis();
        int vms = 3;
        Path output = stateDir.resolve("soak");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--minutes" -> minutes = Double.parseDouble(require(arg, value));
                case "--fault-interval" -> faultSeconds = Double.parseDouble(require(arg, value));
                case "--settle-minutes" -> settleMinutes = Double.parseDouble(require(arg, value));
                case "--seed" -> seed = Long.parseLong(require(arg, value));
                case "--vms-per-agent" -> vms = Integer.parseInt(require(arg, value));
                case "--output" -> output = Path.of(require(arg, value));
                default -> throw new IllegalArgumentException("unknown option " + arg + "; options: --minutes N, "
                        + "--fault-interval SECONDS, --settle-minutes N, --seed N, --vms-per-agent N, --output DIR");
            }
            i++;
        }
        if (minutes <= 0 || vms < 3) {
            throw new IllegalArgumentException("--minutes must be positive and --vms-per-agent at least 3");
        }
        // Short runs get faults more often, so that most kinds still happen at least once.
        // A short soak has its last minute without faults (Faults.quietTail): a little denser before it.
        double interval = faultSeconds != null ? faultSeconds : minutes <= 5 ? 20 : 40;
        return new SoakSettings(Duration.ofMillis((long) (minutes * 60_000)), Duration.ofMillis((long) (interval
                * 1000)), Duration.ofMillis((long) (settleMinutes * 60_000)), seed, vms, output, 16L << 20);
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
