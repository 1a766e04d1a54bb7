package io.cairn.events.xml;

import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes libvirt's {@code <domainbackup>} XML, in the public form users submit and the
 * status form Cairn records while a backup runs, so Cairn speaks libvirt's backup dialect exactly.
 */
public final class BackupXml {

    private final SecureXmlReader reader;

    public BackupXml(XmlLimits limits) {
        this.reader = new SecureXmlReader(limits);
    }

    public BackupXml() {
        this(XmlLimits.DEFAULT);
    }

    /** Parses and schema-validates a user's backup request. */
    public BackupDefinition parse(String xml) {
        XmlElement root = reader.read(xml);
        BackupSchema.validate(root, false);
        return definition(root, false);
    }

    /** Parses Cairn's status form: per-disk {@code state=} (required) and {@code <privateData>}. */
    public BackupStatus parseInternal(String xml) {
        XmlElement root = reader.read(xml);
        BackupSchema.validate(root, true);
        BackupDefinition definition = definition(root, true);
        String tlsAlias = null;
        String tlsSecretAlias = null;
        XmlElement privateData = root.element("privateData");
        XmlElement objects = privateData == null ? null : privateData.element("objects");
        if (objects != null) {
            for (XmlElement object : objects.elements()) {
                if (object.name().equals("TLSx509") && tlsAlias == null) {
                    tlsAlias = Texts.emptyToNull(object.attribute("alias"));
                } else if (object.name().equals("secret") && "tlskey".equals(object.attribute("type"))
                        && tlsSecretAlias == null) {
                    tlsSecretAlias = Texts.emptyToNull(object.attribute("alias"));
                }
            }
        }
        return new BackupStatus(definition, tlsAlias, tlsSecretAlias, storeIndexes(root));
    }

    /** {@code index=} of selected disks; schema-checked as unsignedInt, zero means none as in libvirt. */
    private static Map<String, Integer> storeIndexes(XmlElement root) {
        Map<String, Integer> indexes = new HashMap<>();
        XmlElement disks = root.element("disks");
        if (disks != null) {
            for (XmlElement disk : disks.elements()) {
                String index = disk.attribute("index");
                if (index != null && !"no".equals(disk.attribute("backup"))) {
                    int value = Integer.parseUnsignedInt(index.strip());
                    if (value != 0) {
                        indexes.put(disk.attribute("name"), value);
                    }
                }
            }
        }
        return indexes;
    }

    private BackupDefinition definition(XmlElement root, boolean internal) {
        BackupMode mode = mode(root.attribute("mode"));
        boolean push = mode == BackupMode.PUSH;
        String incremental = Texts.childText(root, "incremental");
        XmlElement serverElement = root.element("server");
        BackupServer server = null;
        if (serverElement != null) {
            if (push) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "use of <server> requires pull mode backup");
            }
            server = server(serverElement);
        }
        List<BackupDisk> disks = new ArrayList<>();
        XmlElement disksElement = root.element("disks");
        if (disksElement != null) {
            for (XmlElement disk : disksElement.elements()) {
                disks.add(disk(disk, push, internal));
            }
        }
        return new BackupDefinition(mode, incremental, server, disks.isEmpty() ? null : disks);
    }

    private static BackupMode mode(String mode) {
        if (mode == null) {
            return BackupMode.PUSH;
        }
        try {
            return BackupMode.fromXml(mode);
        } catch (IllegalArgumentException unknown) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "unknown backup mode '" + mode + "'");
        }
    }

    private static BackupServer server(XmlElement server) {
        String transport = server.attribute("transport") == null ? "tcp" : server.attribute("transport");
        String socket = server.attribute("socket");
        if (transport.equals("rdma")) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "transport rdma is not supported for <server>");
        }
        if (transport.equals("unix") && (socket == null || !socket.startsWith("/"))) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_XML_ERROR,
                    "backup socket path '" + socket + "' must be absolute");
        }
        String port = server.attribute("port");
        String tls = server.attribute("tls");
        return new BackupServer(transport, server.attribute("name"),
                port == null ? null : Integer.parseUnsignedInt(port.strip()),
                socket, server.attribute("fdgroup"), tls == null ? null : tls.equals("yes"));
    }

    private static BackupDisk disk(XmlElement disk, boolean push, boolean internal) {
        String name = disk.attribute("name");
        if (name == null) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_XML_ERROR, "missing name from disk backup element");
        }
        if ("no".equals(disk.attribute("backup"))) {
            // libvirt reads nothing else of a disk left out of the backup
            return new BackupDisk(name, false, null, null, null, null, null, null);
        }
        String exportName = push ? null : disk.attribute("exportname");
        String exportBitmap = push ? null : disk.attribute("exportbitmap");
        String backupMode = disk.attribute("backupmode");
        String state = null;
        if (internal) {
            state = disk.attribute("state");
            if (state == null) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_XML_ERROR,
                        "Missing required attribute 'state' in element 'disk'");
            }
        }
        return new BackupDisk(name, true, backupMode == null ? null : DiskBackupMode.fromXml(backupMode),
                disk.attribute("incremental"), exportName, exportBitmap, store(disk, push), state);
    }

    /** Every selected disk gets a store (file by default); its path stays null until alignment fills it. */
    private static BackupStore store(XmlElement disk, boolean push) {
        String type = disk.attribute("type") == null ? "file" : disk.attribute("type");
        if (!type.equals("file") && !type.equals("block")) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_XML_ERROR, "unsupported disk backup type '" + type + "'");
        }
        XmlElement driver = disk.element("driver");
        String format = driver == null ? null : Texts.emptyToNull(driver.attribute("type"));
        XmlElement location = disk.element(push ? "target" : "scratch");
        if (location == null) {
            return new BackupStore(type, null, format, null, null);
        }
        String path = location.attribute(type.equals("file") ? "file" : "dev");
        List<String> seclabels = new ArrayList<>();
        String encryption = null;
        for (XmlElement child : location.elements()) {
            if (child.name().equals("seclabel")) {
                seclabels.add(Texts.verbatim(child));
            } else if (child.name().equals("encryption") && encryption == null) {
                encryption = Texts.verbatim(child);
            }
        }
        return new BackupStore(type, path, format, seclabels.isEmpty() ? null : seclabels, encryption);
    }

    /** libvirt's {@code virDomainBackupAlignDisks}; see {@link BackupAlignment#align}. */
    public BackupDefinition align(BackupDefinition definition, DomainDisks domain, String suffix) {
        return BackupAlignment.align(definition, domain, suffix);
    }

    /** Formats the public form, as {@code virDomainBackupGetXMLDesc} shows it. */
    public String format(BackupDefinition definition) {
        return new BackupXmlFormatter(reader).format(definition, null, false);
    }

    /** Formats the status form: per-disk states and {@code <privateData>}. */
    public String formatInternal(BackupStatus status) {
        return new BackupXmlFormatter(reader).format(status.definition(), status, true);
    }
}
