package io.cairn.events.xml;

import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.Locale;

/**
 * The {@code <domain>} a checkpoint captures, written from what QEMU reports (there is no libvirt to ask): the
 * domain's name, its UUID when it has one, and each disk's source, format and target. It holds no secrets, since
 * QEMU's report carries none, so SECURE and the default dump show the same element.
 */
public final class SynthesizedDomainXml {
    private SynthesizedDomainXml() {
    }

    /**
     * @param name  the domain's name
     * @param uuid  the domain's UUID (QEMU's query-uuid), or null to leave {@code <uuid>} out
     * @param disks the domain's disks in the domain's order
     */
    public static String of(String name, String uuid, DomainDisks disks) {
        StringBuilder xml = new StringBuilder("<domain type='kvm'>\n");
        xml.append("  <name>").append(LibvirtXmlWriter.escape(name)).append("</name>\n");
        if (uuid != null) {
            xml.append("  <uuid>").append(LibvirtXmlWriter.escape(uuid)).append("</uuid>\n");
        }
        xml.append("  <devices>\n");
        for (DomainDiskInfo disk : disks.disks()) {
            String type = disk.sourceType().name().toLowerCase(Locale.ROOT);
            xml.append("    <disk type='").append(type).append("' device='disk'>\n");
            if (disk.format() != null) {
                xml.append("      <driver name='qemu' type='").append(LibvirtXmlWriter.escape(disk.format()))
                        .append("'/>\n");
            }
            if (disk.sourcePath() != null) {
                xml.append("      <source ").append(sourceAttribute(disk)).append("='")
                        .append(LibvirtXmlWriter.escape(disk.sourcePath())).append("'/>\n");
            }
            xml.append("      <target dev='").append(LibvirtXmlWriter.escape(disk.target())).append("'/>\n");
            if (disk.readonly()) {
                xml.append("      <readonly/>\n");
            }
            xml.append("    </disk>\n");
        }
        return xml.append("  </devices>\n</domain>").toString();
    }

    /** The attribute DomainXmlDisks reads the source from, so a captured domain reads back as the same disks. */
    private static String sourceAttribute(DomainDiskInfo disk) {
        return switch (disk.sourceType()) {
            case BLOCK -> "dev";
            case DIR -> "dir";
            case VOLUME -> "volume";
            case NETWORK -> "name";
            case FILE -> "file";
        };
    }
}
