package io.cairn.soak;

import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One guest-less VM of the soak: its QEMU (disks beside its agent's storage root), the agent that runs it, where its
 * backups go, what its guest wrote, and the soak's own monitor. QEMU crashes (kill -9) and restarts on the same disks.
 */
final class SoakVm implements AutoCloseable {
    private final GuestlessQemu qemu;
    private final String agentName;
    private final AgentProcess agent;
    private final Path targetsDir;
    private final GuestModel model;
    private final Monitor monitor;
    private final List<long[]> crashes = new ArrayList<>();
    /** Set when a guest write could not be made to land: the model no longer says what the disk holds. */
    volatile boolean modelLost;

    SoakVm(GuestlessQemu qemu, String agentName, AgentProcess agent, Path targetsDir, List<GuestModel.Write> initial) {
        this.qemu = qemu;
        this.agentName = agentName;
        this.agent = agent;
        this.targetsDir = targetsDir;
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (QemuDisk disk : qemu.disks()) {
            sizes.put(disk.deviceId(), disk.sizeBytes());
        }
        this.model = new GuestModel(sizes);
        initial.forEach(w -> model.add(w.disk(), w.write()));
        this.monitor = new Monitor(qemu.domain(), qemu.probeSocket());
        try {
            Files.createDirectories(targetsDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String domain() {
        return qemu.domain();
    }

    String agentName() {
        return agentName;
    }

    AgentProcess agent() {
        return agent;
    }

    GuestlessQemu qemu() {
        return qemu;
    }

    List<QemuDisk> disks() {
        return qemu.disks();
    }

    Path targetsDir() {
        return targetsDir;
    }

    GuestModel model() {
        return model;
    }

    Monitor monitor() {
        return monitor;
    }

    /**
     * A guest write that lands for sure: recorded first, then written and flushed (so a later crash keeps it), and
     * written again after QEMU comes back if QEMU went away in between (the same pattern again is harmless), so the
     * model and the disk never part. False only when the soak is stopping and QEMU never came back.
     */
    boolean write(String disk, PatternWrite write, BooleanSupplier giveUp) {
        model.add(disk, write);
        while (true) {
            try {
                monitor.qemuIo(disk, write.qemuIoCommand());
                monitor.qemuIo(disk, "flush");
                return true;
            } catch (IOException | IllegalStateException e) {
                if (giveUp.getAsBoolean()) {
                    modelLost = true;
                    return false;
                }
                monitor.awaitUp(5_000);
                Tools.sleep(500);
            }
        }
    }

    /** kill -9 of QEMU: the start of a crash; {@link #restartAfterCrash()} ends it. */
    void crash() {
        synchronized (crashes) {
            crashes.add(new long[] {System.currentTimeMillis(), Long.MAX_VALUE});
        }
        qemu.kill9();
    }

    /** QEMU again on the same disks and sockets, as a host's supervisor would start the domain again. */
    void restartAfterCrash() {
        qemu.restart();
        synchronized (crashes) {
            crashes.get(crashes.size() - 1)[1] = System.currentTimeMillis();
        }
        monitor.awaitUp(20_000);
    }

    boolean alive() {
        return qemu.isAlive();
    }

    /** True if QEMU was killed at some time within [from, to]. */
    boolean crashedWithin(long from, long to) {
        synchronized (crashes) {
            for (long[] crash : crashes) {
                if (crash[0] <= to && crash[1] >= from) {
                    return true;
                }
            }
        }
        return false;
    }

    int crashCount() {
        synchronized (crashes) {
            return crashes.size();
        }
    }

    @Override
    public void close() {
        monitor.close();
        qemu.close();
    }
}
