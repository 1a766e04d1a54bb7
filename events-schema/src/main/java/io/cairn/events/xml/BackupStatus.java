package io.cairn.events.xml;

import io.cairn.events.model.BackupDefinition;

/**
 * A running backup as Cairn records it (libvirt's status form of {@code <domainbackup>}): the definition
 * with per-disk states, plus the TLS object aliases of {@code <privateData>}.
 *
 * @param definition     the backup, disks carrying {@code state}
 * @param tlsAlias       alias of the TLS x509 credentials object, if any
 * @param tlsSecretAlias alias of the TLS key secret object, if any
 */
public record BackupStatus(BackupDefinition definition, String tlsAlias, String tlsSecretAlias) {
}
