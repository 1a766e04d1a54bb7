package io.cairn.events.xml;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * libvirt's {@code domainbackup.rng} as code (newest revision: bare {@code backup='yes'} disks and the
 * {@code fd} server transport), plus the status-only extras ({@code state=}, {@code index=},
 * {@code <privateData>}) when Cairn reads its own internal form.
 */
final class BackupSchema {

    static final String SCHEMA_FILE = "domainbackup.rng";

    private static final SchemaCheck CHECK = new SchemaCheck(SCHEMA_FILE);
    private static final Set<String> DISK_STATES = Set.of("running", "complete", "failed", "cancelling", "cancelled");
    private static final Set<String> PUSH_DISK_ATTRIBUTES = Set.of("name", "backupmode", "incremental", "backup", "type");
    private static final Set<String> PULL_DISK_ATTRIBUTES =
            Set.of("name", "backupmode", "incremental", "backup", "type", "exportname", "exportbitmap");

    private BackupSchema() {
    }

    static void validate(XmlElement root, boolean internal) {
        CHECK.expectName(root, "domainbackup");
        CHECK.onlyAttributes(root, Set.of("mode"));
        String mode = CHECK.choiceAttribute(root, "mode", Set.of("push", "pull"));
        boolean pull = "pull".equals(mode);
        Set<String> children = internal
                ? Set.of("incremental", "server", "disks", "privateData")
                : Set.of("incremental", "server", "disks");
        CHECK.onlyChildren(root, children);
        for (String name : children) {
            CHECK.atMostOnce(root, name);
        }
        XmlElement incremental = root.element("incremental");
        if (incremental != null) {
            checkpointReference(incremental.name(), CHECK.textElement(incremental));
        }
        XmlElement server = root.element("server");
        if (pull && server == null && !internal) {
            throw CHECK.fail("Element domainbackup: pull mode requires element server");
        }
        if (!pull && server != null) {
            throw CHECK.fail("Element domainbackup has extra content: server (push mode)");
        }
        if (server != null) {
            server(server);
        }
        XmlElement disks = root.element("disks");
        if (disks != null) {
            disks(disks, pull, internal);
        }
        XmlElement privateData = root.element("privateData");
        if (privateData != null) {
            privateData(privateData);
        }
    }

    /**
     * {@code incremental} is plain text in libvirt's schema, but it names a checkpoint, and no checkpoint
     * can have a name outside the checkpoint-name pattern: refusing such names early keeps path-like
     * strings ({@code ../x}) out of everything downstream.
     */
    private static void checkpointReference(String where, String value) {
        if (!RngTypes.isCheckpointName(value)) {
            throw CHECK.fail("Element " + where + " failed to validate content: '" + value
                    + "' is not a valid checkpoint name");
        }
    }

    private static void server(XmlElement server) {
        CHECK.emptyElement(server, Set.of("tls", "transport", "name", "port", "socket", "fdgroup"));
        CHECK.choiceAttribute(server, "tls", Set.of("yes", "no"));
        String transport = CHECK.choiceAttribute(server, "transport", Set.of("tcp", "unix", "fd"));
        if (transport == null || transport.equals("tcp")) {
            CHECK.typedAttribute(server, "name", RngTypes::isHostName, "host name or address");
            CHECK.optionalAttribute(server, "port", RngTypes::isUnsignedInt, "unsignedInt");
            CHECK.forbidAttributes(server, "with transport tcp", "socket", "fdgroup");
        } else if (transport.equals("unix")) {
            CHECK.typedAttribute(server, "socket", RngTypes::isAbsFilePath, "absolute path");
            CHECK.forbidAttributes(server, "with transport unix", "name", "port", "fdgroup");
        } else {
            CHECK.requiredAttribute(server, "fdgroup");
            CHECK.forbidAttributes(server, "with transport fd", "name", "port", "socket");
        }
    }

    private static void disks(XmlElement disks, boolean pull, boolean internal) {
        CHECK.onlyAttributes(disks, Set.of());
        CHECK.onlyChildren(disks, Set.of("disk"));
        List<XmlElement> entries = disks.elements();
        if (entries.isEmpty()) {
            throw CHECK.fail("Expecting an element disk, got nothing");
        }
        for (XmlElement disk : entries) {
            Set<String> allowed = new HashSet<>(pull ? PULL_DISK_ATTRIBUTES : PUSH_DISK_ATTRIBUTES);
            if (internal) {
                allowed.add("state");
                allowed.add("index");
            }
            CHECK.onlyAttributes(disk, allowed);
            CHECK.typedAttribute(disk, "name", RngTypes::isDiskTargetDev, "disk target");
            backupMode(disk);
            if (internal) {
                CHECK.choiceAttribute(disk, "state", DISK_STATES);
                CHECK.optionalAttribute(disk, "index", RngTypes::isUnsignedInt, "unsignedInt");
            }
            if (pull) {
                pullDisk(disk);
            } else {
                pushDisk(disk);
            }
        }
    }

    /** {@code backupDiskMode}: backupmode='full', or [backupmode='incremental'] [incremental=NAME]. */
    private static void backupMode(XmlElement disk) {
        String mode = CHECK.choiceAttribute(disk, "backupmode", Set.of("full", "incremental"));
        if ("full".equals(mode)) {
            CHECK.forbidAttributes(disk, "with backupmode='full'", "incremental");
        }
        String incremental = disk.attribute("incremental");
        if (incremental != null) {
            checkpointReference("disk/@incremental", incremental);
        }
    }

    private static void pushDisk(XmlElement disk) {
        String backup = CHECK.choiceAttribute(disk, "backup", Set.of("yes", "no"));
        String type = CHECK.choiceAttribute(disk, "type", Set.of("file", "block"));
        if ("no".equals(backup) || type == null) {
            // backup='no', or a disk selected without any other configuration
            CHECK.forbidAttributes(disk, "without a store type", "type");
            CHECK.onlyChildren(disk, Set.of());
            return;
        }
        CHECK.onlyChildren(disk, Set.of("target", "driver"));
        CHECK.atMostOnce(disk, "target");
        CHECK.atMostOnce(disk, "driver");
        XmlElement target = disk.element("target");
        if (target != null) {
            StorageSchema.store(CHECK, target, type.equals("file") ? "file" : "dev");
        }
        driver(disk.element("driver"), RngTypes.STORAGE_FORMATS);
    }

    private static void pullDisk(XmlElement disk) {
        String backup = CHECK.choiceAttribute(disk, "backup", Set.of("yes", "no"));
        String type = CHECK.choiceAttribute(disk, "type", Set.of("file", "block"));
        if ("no".equals(backup)) {
            CHECK.forbidAttributes(disk, "with backup='no'", "type");
            CHECK.onlyChildren(disk, Set.of());
            return;
        }
        if (backup != null && type == null) {
            throw CHECK.fail("Element disk failed to validate attributes: backup='yes' requires type");
        }
        CHECK.onlyChildren(disk, Set.of("scratch", "driver"));
        CHECK.atMostOnce(disk, "scratch");
        CHECK.atMostOnce(disk, "driver");
        XmlElement scratch = disk.element("scratch");
        boolean block = "block".equals(type);
        if (scratch == null && (block || disk.element("driver") != null)) {
            throw CHECK.fail("Element disk: expecting an element scratch");
        }
        if (scratch != null) {
            StorageSchema.store(CHECK, scratch, block ? "dev" : "file");
        }
        driver(disk.element("driver"), Set.of("qcow2"));
    }

    private static void driver(XmlElement driver, Set<String> formats) {
        if (driver != null) {
            CHECK.emptyElement(driver, Set.of("type"));
            CHECK.requiredAttribute(driver, "type");
            CHECK.choiceAttribute(driver, "type", formats);
        }
    }

    private static void privateData(XmlElement privateData) {
        CHECK.onlyAttributes(privateData, Set.of());
        CHECK.onlyChildren(privateData, Set.of("objects"));
        for (XmlElement objects : privateData.elements()) {
            CHECK.onlyAttributes(objects, Set.of());
            CHECK.onlyChildren(objects, Set.of("secret", "TLSx509"));
            for (XmlElement object : objects.elements()) {
                if (object.name().equals("secret")) {
                    CHECK.emptyElement(object, Set.of("type", "alias"));
                    CHECK.choiceAttribute(object, "type", Set.of("tlskey"));
                } else {
                    CHECK.emptyElement(object, Set.of("alias"));
                }
                CHECK.requiredAttribute(object, "alias");
            }
        }
    }
}
