package io.cairn.events.xml;

import java.util.List;
import java.util.Set;

/**
 * libvirt's {@code domaincheckpoint.rng} as code: libvirt validates every checkpoint document against
 * it, so Cairn refuses exactly what libvirt refuses before looking at the content.
 */
final class CheckpointSchema {

    static final String SCHEMA_FILE = "domaincheckpoint.rng";

    private static final SchemaCheck CHECK = new SchemaCheck(SCHEMA_FILE);
    private static final Set<String> TOP_LEVEL =
            Set.of("name", "description", "creationTime", "disks", "domain", "parent");
    private static final Set<String> DISK_ATTRIBUTES = Set.of("name", "checkpoint", "bitmap", "size");

    private CheckpointSchema() {
    }

    static void validate(XmlElement root) {
        CHECK.expectName(root, "domaincheckpoint");
        CHECK.onlyAttributes(root, Set.of());
        CHECK.onlyChildren(root, TOP_LEVEL);
        for (String name : TOP_LEVEL) {
            CHECK.atMostOnce(root, name);
        }
        for (XmlElement child : root.elements()) {
            switch (child.name()) {
                case "name" -> checkpointName(child);
                case "description" -> CHECK.textElement(child);
                case "creationTime" -> unsignedLong(child);
                case "disks" -> disks(child);
                case "domain" -> domain(child);
                case "parent" -> parent(child);
                default -> throw CHECK.fail("Element domaincheckpoint has extra content: " + child.name());
            }
        }
    }

    static void checkpointName(XmlElement element) {
        String value = CHECK.textElement(element);
        if (!RngTypes.isCheckpointName(value)) {
            throw CHECK.fail("Element " + element.name() + " failed to validate content: '"
                    + value + "' is not a valid checkpoint name");
        }
    }

    private static void unsignedLong(XmlElement element) {
        String value = CHECK.textElement(element);
        if (!RngTypes.isUnsignedLong(value)) {
            throw CHECK.fail("Element " + element.name() + " failed to validate content: '"
                    + value + "' is not an unsignedLong");
        }
    }

    private static void disks(XmlElement disks) {
        CHECK.onlyAttributes(disks, Set.of());
        CHECK.onlyChildren(disks, Set.of("disk"));
        List<XmlElement> entries = disks.elements();
        if (entries.isEmpty()) {
            throw CHECK.fail("Expecting an element disk, got nothing");
        }
        for (XmlElement disk : entries) {
            disk(disk);
        }
    }

    private static void disk(XmlElement disk) {
        CHECK.emptyElement(disk, DISK_ATTRIBUTES);
        CHECK.typedAttribute(disk, "name",
                name -> RngTypes.isDiskTargetDev(name) || RngTypes.isAbsFilePath(name), "disk target or absolute path");
        String mode = CHECK.choiceAttribute(disk, "checkpoint", Set.of("no", "bitmap"));
        if ("no".equals(mode)) {
            CHECK.forbidAttributes(disk, "with checkpoint='no'", "bitmap", "size");
        }
        CHECK.optionalAttribute(disk, "size", RngTypes::isUnsignedLong, "unsignedLong");
    }

    /**
     * The nested domain grammar (domain.rng) is the hypervisor's business; Cairn keeps the element
     * verbatim and only insists on what every domain has: its {@code type}.
     */
    private static void domain(XmlElement domain) {
        CHECK.requiredAttribute(domain, "type");
    }

    private static void parent(XmlElement parent) {
        CHECK.onlyAttributes(parent, Set.of());
        CHECK.onlyChildren(parent, Set.of("name"));
        List<XmlElement> names = parent.elements();
        if (names.size() != 1) {
            throw CHECK.fail("Element parent must contain exactly one element name");
        }
        checkpointName(names.get(0));
    }
}
