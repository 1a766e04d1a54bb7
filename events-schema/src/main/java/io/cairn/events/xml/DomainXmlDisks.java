package io.cairn.events.xml;

import io.cairn.events.model.DiskSourceType;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the disk list out of a domain definition, so a redefined checkpoint can be aligned against the
 * domain it embeds, as libvirt does.
 */
public final class DomainXmlDisks {

    private final SecureXmlReader reader;

    public DomainXmlDisks(XmlLimits limits) {
        this.reader = new SecureXmlReader(limits);
    }

    public DomainXmlDisks() {
        this(XmlLimits.DEFAULT);
    }

    public DomainDisks read(String domainXml) {
        XmlElement domain = reader.read(domainXml);
        List<DomainDiskInfo> disks = new ArrayList<>();
        XmlElement devices = domain.element("devices");
        if (devices != null) {
            for (XmlElement disk : devices.elements()) {
                if (disk.name().equals("disk")) {
                    DomainDiskInfo info = disk(disk);
                    if (info != null) {
                        disks.add(info);
                    }
                }
            }
        }
        return new DomainDisks(disks);
    }

    /** The domain's {@code <uuid>}, or null when it has none. */
    public String uuid(String domainXml) {
        return Texts.emptyToNull(Texts.childText(reader.read(domainXml), "uuid"));
    }

    private static DomainDiskInfo disk(XmlElement disk) {
        XmlElement target = disk.element("target");
        if (target == null || target.attribute("dev") == null) {
            return null;
        }
        DiskSourceType type = sourceType(disk.attribute("type"));
        XmlElement source = disk.element("source");
        String path = null;
        if (source != null) {
            path = switch (type) {
                case BLOCK -> source.attribute("dev");
                case DIR -> source.attribute("dir");
                case VOLUME -> source.attribute("volume");
                case NETWORK -> source.attribute("name");
                case FILE -> source.attribute("file");
            };
        }
        XmlElement driver = disk.element("driver");
        String format = driver == null ? null : driver.attribute("type");
        boolean readonly = disk.element("readonly") != null;
        boolean empty = type != DiskSourceType.NETWORK && path == null;
        return new DomainDiskInfo(target.attribute("dev"), path, type, format, readonly, empty);
    }

    private static DiskSourceType sourceType(String type) {
        if (type == null) {
            return DiskSourceType.FILE;
        }
        try {
            return DiskSourceType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return DiskSourceType.NETWORK;
        }
    }
}
