package io.cairn.events.event;

import io.cairn.events.model.BackupServer;
import java.util.List;

/**
 * Where a pull backup's client connects: the NBD server and one export per disk.
 *
 * @param server  transport, host and port, or unix socket, as libvirt's {@code <server>}
 * @param exports one per disk in the backup
 */
public record NbdEndpoint(BackupServer server, List<NbdExport> exports) {
    public NbdEndpoint {
        exports = exports == null ? List.of() : List.copyOf(exports);
    }
}
