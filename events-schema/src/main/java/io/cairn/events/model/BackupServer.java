package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The NBD server of a pull backup, as libvirt's {@code <server>}.
 *
 * @param transport {@code tcp} (default), {@code unix} or {@code fd}
 * @param name      host name or address for tcp
 * @param port      tcp port
 * @param socket    absolute unix socket path
 * @param fdgroup   fd transport group (newest libvirt only)
 * @param tls       whether the export is served over TLS; null when not said
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupServer(String transport, String name, Integer port, String socket, String fdgroup, Boolean tls) {
}
