package io.cairn.events.xml;

import io.cairn.events.model.BackupDefinition;
import java.util.Map;

/**
 * A running backup as Cairn records it (libvirt's status form of {@code <domainbackup>}): the definition
 * with per-disk states, plus the TLS object aliases of {@code <privateData>}.
 *
 * @param definition     the backup, disks carrying {@code state}
 * @param tlsAlias       alias of the TLS x509 credentials object, if any
 * @param tlsSecretAlias alias of the TLS key secret object, if any
 * @param storeIndexes   per disk name, the QEMU storage-source index of its store ({@code index=})
 */
public record BackupStatus(BackupDefinition definition, String tlsAlias, String tlsSecretAlias,
        Map<String, Integer> storeIndexes) {

    public BackupStatus {
        storeIndexes = storeIndexes == null ? Map.of() : Map.copyOf(storeIndexes);
    }

    public BackupStatus(BackupDefinition definition, String tlsAlias, String tlsSecretAlias) {
        this(definition, tlsAlias, tlsSecretAlias, Map.of());
    }

    /** The same status around another definition (e.g. after alignment). */
    public BackupStatus withDefinition(BackupDefinition aligned) {
        return new BackupStatus(aligned, tlsAlias, tlsSecretAlias, storeIndexes);
    }
}
