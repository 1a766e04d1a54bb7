package io.cairn.agent.restore;

import io.cairn.events.event.NbdEndpoint;
import java.util.concurrent.CompletableFuture;

/**
 * A running qemu-storage-daemon serving one restore point's disks read-only over NBD (TLS-PSK, unix socket), so a VM
 * can attach or boot them at once, with no copy first. Made by {@link ChainExports#start}; {@link #close()} stops
 * the daemon and removes its socket, key and record. Closing blocks (up to a few seconds): call it off the event loop.
 */
public final class ChainExport implements AutoCloseable {

    private final String exportId;
    private final String domain;
    private final Process process;
    private final NbdEndpoint endpoint;
    private final ChainExports owner;
    private boolean closed;

    ChainExport(String exportId, String domain, Process process, NbdEndpoint endpoint, ChainExports owner) {
        this.exportId = exportId;
        this.domain = domain;
        this.process = process;
        this.endpoint = endpoint;
        this.owner = owner;
    }

    public String exportId() {
        return exportId;
    }

    public String domain() {
        return domain;
    }

    /**
     * Where a client connects: the unix socket ({@code server.socket}, {@code server.tls} true), one export per disk
     * with its {@code nbds+unix://cairn@/<export>?socket=<path>} URI (add {@code &tls-psk-file=FILE}, a file holding
     * {@code psk.fileLine()}), and the key. Hand the key only to whoever may read the domain's disks.
     */
    public NbdEndpoint endpoint() {
        return endpoint;
    }

    /** The daemon's pid, for logs. */
    public long pid() {
        return process.pid();
    }

    /** Whether the daemon still runs; it may die on its own (killed, an I/O error on an artifact). */
    public boolean alive() {
        return process.isAlive();
    }

    /** Completes when the daemon has exited, whether by {@link #close()} or on its own. */
    public CompletableFuture<ChainExport> onExit() {
        return process.onExit().thenApply(ignored -> this);
    }

    /**
     * Stops the daemon (SIGTERM, SIGKILL after a bound) and removes the socket file, the key directory and the
     * record. Blocking; idempotent. Clients still connected lose the disks, as with libvirt's backup end.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        owner.stopped(this, process.toHandle());
    }
}
