/**
 * libvirt-compatible XML for checkpoints and backups, so Cairn reads and writes the documents libvirt
 * users already have.
 *
 * <p>Entry points: {@link io.cairn.events.xml.CheckpointXml} and {@link io.cairn.events.xml.BackupXml}
 * (parse with libvirt's RNG rules, format byte for byte as libvirt), {@link
 * io.cairn.events.xml.CheckpointAlignment} and {@link io.cairn.events.xml.BackupAlignment} (libvirt's
 * disk alignment against a {@link io.cairn.events.model.DomainDisks}), {@link
 * io.cairn.events.xml.QemuBackupDefaults} (what the QEMU driver adds when a pull backup starts).
 * Every document passes through {@link io.cairn.events.xml.SecureXmlReader} first: no DTDs, no
 * entities, bounded size and depth. All classes are immutable and thread-safe.
 */
package io.cairn.events.xml;
