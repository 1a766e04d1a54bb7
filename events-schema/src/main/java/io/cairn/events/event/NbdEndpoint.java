package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.BackupServer;
import java.util.List;

/**
 * Where a pull backup's client connects: the NBD server, one export per disk and, for a TCP server the user did not
 * give certificates for, the key it demands.
 *
 * @param server  transport, host and port, or unix socket, as libvirt's {@code <server>}
 * @param exports one per disk in the backup
 * @param psk     TCP without {@code tls='yes'}: the job's TLS pre-shared key; absent for unix sockets and x509
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NbdEndpoint(BackupServer server, List<NbdExport> exports, NbdPsk psk) {
    public NbdEndpoint {
        exports = exports == null ? List.of() : List.copyOf(exports);
    }

    /** The endpoint as a reader who may not read the key sees it: where to connect, and that a key is needed. */
    public NbdEndpoint withoutKey() {
        return psk == null ? this : new NbdEndpoint(server, exports, psk.withoutKey());
    }
}
