package io.cairn.events.xml;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;

/** Lays a backup definition out as libvirt's {@code virDomainBackupDefFormat} does, attribute by attribute. */
final class BackupXmlFormatter {

    private static final SchemaCheck STORE_CHECK = new SchemaCheck(BackupSchema.SCHEMA_FILE);

    private final SecureXmlReader reader;

    BackupXmlFormatter(SecureXmlReader reader) {
        this.reader = reader;
    }

    String format(BackupDefinition definition, BackupStatus status, boolean internal) {
        LibvirtXmlWriter out = new LibvirtXmlWriter();
        BackupMode mode = definition.mode() == null ? BackupMode.PUSH : definition.mode();
        boolean push = mode == BackupMode.PUSH;
        LibvirtXmlWriter.Attributes attributes = new LibvirtXmlWriter.Attributes().add("mode", mode.xml());
        LibvirtXmlWriter children = out.child();
        children.textElement("incremental", definition.incremental());
        if (definition.server() != null) {
            children.element("server", server(definition.server()), null);
        }
        LibvirtXmlWriter disks = children.child();
        if (definition.disks() != null) {
            for (BackupDisk disk : definition.disks()) {
                disk(disks, disk, push, internal, status);
            }
        }
        children.element("disks", null, disks);
        if (internal) {
            privateData(children, status);
        }
        out.element("domainbackup", attributes, children);
        return out.toString();
    }

    private static LibvirtXmlWriter.Attributes server(BackupServer server) {
        return new LibvirtXmlWriter.Attributes()
                .add("transport", server.transport() == null ? "tcp" : server.transport())
                .add("tls", server.tls() == null ? null : server.tls() ? "yes" : "no")
                .add("name", server.name())
                .add("port", server.port() == null || server.port() == 0 ? null : Integer.toUnsignedString(server.port()))
                .add("socket", server.socket())
                .add("fdgroup", server.fdgroup());
    }

    private void disk(LibvirtXmlWriter out, BackupDisk disk, boolean push, boolean internal, BackupStatus status) {
        boolean selected = disk.backup() == null || disk.backup();
        LibvirtXmlWriter.Attributes attributes = new LibvirtXmlWriter.Attributes()
                .add("name", disk.name())
                .add("backup", selected ? "yes" : "no")
                .add("state", internal ? disk.state() : null);
        LibvirtXmlWriter children = out.child();
        if (selected) {
            BackupStore store = disk.store();
            attributes.add("type", store == null ? null : store.type())
                    .add("backupmode", disk.backupmode() == null ? null : disk.backupmode().xml())
                    .add("incremental", disk.incremental())
                    .add("exportname", disk.exportname())
                    .add("exportbitmap", disk.exportbitmap());
            Integer index = internal && status != null ? status.storeIndexes().get(disk.name()) : null;
            attributes.add("index", index == null ? null : Integer.toUnsignedString(index));
            if (store != null) {
                store(children, store, push ? "target" : "scratch");
            }
        }
        out.element("disk", attributes, children);
    }

    private void store(LibvirtXmlWriter out, BackupStore store, String elementName) {
        if (store.format() != null) {
            out.line("<driver type='" + LibvirtXmlWriter.escape(store.format()) + "'/>");
        }
        LibvirtXmlWriter.Attributes attributes = new LibvirtXmlWriter.Attributes()
                .add("block".equals(store.type()) ? "dev" : "file", store.path());
        LibvirtXmlWriter children = out.child();
        if (store.seclabels() != null) {
            for (String seclabel : store.seclabels()) {
                children.tree(verbatimPart(seclabel, "seclabel"));
            }
        }
        if (store.encryption() != null) {
            children.tree(verbatimPart(store.encryption(), "encryption"));
        }
        out.element(elementName, attributes, children);
    }

    /**
     * Verbatim parts are re-read and re-validated rather than pasted: whatever a caller put in the model
     * cannot smuggle other markup into the document.
     */
    private XmlElement verbatimPart(String xml, String expectedName) {
        XmlElement element = reader.read(xml);
        if (!element.name().equals(expectedName)) {
            throw STORE_CHECK.fail("Expecting element " + expectedName + ", got " + element.name());
        }
        if (expectedName.equals("seclabel")) {
            StorageSchema.seclabel(STORE_CHECK, element);
        } else {
            StorageSchema.encryption(STORE_CHECK, element);
        }
        return element;
    }

    private static void privateData(LibvirtXmlWriter out, BackupStatus status) {
        if (status == null) {
            return;
        }
        LibvirtXmlWriter privateChildren = out.child();
        LibvirtXmlWriter objects = privateChildren.child();
        if (status.tlsSecretAlias() != null) {
            objects.line("<secret type='tlskey' alias='" + LibvirtXmlWriter.escape(status.tlsSecretAlias()) + "'/>");
        }
        if (status.tlsAlias() != null) {
            objects.line("<TLSx509 alias='" + LibvirtXmlWriter.escape(status.tlsAlias()) + "'/>");
        }
        privateChildren.element("objects", null, objects);
        out.element("privateData", null, privateChildren);
    }
}
