package io.cairn.testing.qemu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Safety net so a test run (even one that forgets close() or dies mid-test) leaves no stray QEMU behind. */
final class QemuProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(QemuProcessReaper::killAll, "qemu-reaper"));
    }

    private QemuProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
        // Forget the process as soon as it is gone so the set does not grow over a long test run.
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    private static void killAll() {
        // SIGKILL, not SIGTERM: the JVM is exiting and must not wait on QEMU flushing images.
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
    }
}
