package io.cairn.agent.messaging;

import io.cairn.agent.config.AgentConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes the inventory as soon as a domain's QMP socket appears in or leaves the socket directory, so a VM that
 * has just started can be backed up at once and one that has stopped is known gone, without waiting for the periodic
 * inventory (30 s by default).
 */
@ApplicationScoped
public class QmpSocketWatcher {
    private static final Logger LOG = Logger.getLogger(QmpSocketWatcher.class);
    /** QEMU creates its socket, then listens: a short quiet time lets it listen and groups a burst of VM starts. */
    private static final long QUIET_MILLIS = 300;

    @Inject
    AgentConfig config;

    @Inject
    InventoryPublisher inventory;

    private volatile WatchService watcher;

    void onStart(@Observes StartupEvent event) {
        Path dir = config.qmpSocketDir();
        if (!Files.isDirectory(dir)) {
            LOG.warnf("QMP socket directory %s does not exist: new domains show up with the periodic inventory only",
                    dir);
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            LOG.warnf("cannot watch %s (%s): new domains show up with the periodic inventory only", dir, e.getMessage());
            return;
        }
        // WatchService blocks: a thread of its own, never an event loop or a worker of the pool.
        Thread thread = new Thread(this::watch, "cairn-qmp-socket-watch");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean relevant = drainSockets(key);
                // Gather whatever else happens in the quiet time into the same inventory.
                for (WatchKey more; (more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
                    relevant |= drainSockets(more);
                }
                if (relevant) {
                    inventory.publishNow().subscribe().with(ignored -> { },
                            failure -> LOG.warnf("inventory after a QMP socket change not published: %s",
                                    failure.getMessage()));
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // shutting down
        }
    }

    /** Whether the key's events concern a {@code <domain>.qmp} socket (or were too many to tell). */
    private static boolean drainSockets(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                    || event.context().toString().endsWith(".qmp");
        }
        key.reset();
        return relevant;
    }
}
