package io.cairn.events.xml;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DomainDisks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads and writes libvirt's {@code <domaincheckpoint>} XML with libvirt's rules, so Cairn accepts and
 * produces exactly the documents libvirt users already have.
 */
public final class CheckpointXml {

    private final SecureXmlReader reader;
    private final LongSupplier clockSeconds;

    /**
     * @param limits       bounds on untrusted input
     * @param clockSeconds "now" in Unix seconds: the creation time of a new checkpoint
     */
    public CheckpointXml(XmlLimits limits, LongSupplier clockSeconds) {
        this.reader = new SecureXmlReader(limits);
        this.clockSeconds = clockSeconds;
    }

    public CheckpointXml() {
        this(XmlLimits.DEFAULT, () -> Instant.now().getEpochSecond());
    }

    public CheckpointDefinition parse(String xml, CheckpointParseFlag... flags) {
        return parse(xml, flags.length == 0 ? EnumSet.noneOf(CheckpointParseFlag.class) : EnumSet.of(flags[0], flags));
    }

    /**
     * Parses and schema-validates a document. On create, only name, description and disks are read, the
     * creation time is now and the name defaults to it; on REDEFINE, the stored fields are read as given.
     */
    public CheckpointDefinition parse(String xml, Set<CheckpointParseFlag> flags) {
        XmlElement root = reader.read(xml);
        CheckpointSchema.validate(root);
        boolean redefine = flags.contains(CheckpointParseFlag.REDEFINE);

        String name = Texts.childText(root, "name");
        if (name == null && redefine) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_XML_ERROR, "a redefined checkpoint must have a name");
        }
        String description = Texts.childText(root, "description");
        Long creationTime;
        String parent = null;
        String domainXml = null;
        if (redefine) {
            creationTime = redefinedCreationTime(root);
            XmlElement parentElement = root.element("parent");
            parent = parentElement == null ? null : Texts.childText(parentElement, "name");
            XmlElement domain = root.element("domain");
            domainXml = domain == null ? null : Texts.verbatim(domain);
        } else {
            creationTime = clockSeconds.getAsLong();
            if (name == null) {
                name = Long.toString(creationTime);
            }
        }
        return new CheckpointDefinition(name, description, parent, creationTime, disks(root), domainXml);
    }

    private static Long redefinedCreationTime(XmlElement root) {
        String text = Texts.childText(root, "creationTime");
        try {
            // libvirt's strtoll-based reader allows leading blanks only, and no value past LLONG_MAX
            return Long.parseLong(text.stripLeading());
        } catch (RuntimeException missingOrTooLarge) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "missing creationTime from existing checkpoint");
        }
    }

    /** The disks as listed; a disk without {@code checkpoint=} means a bitmap. Sizes are output only. */
    private static List<CheckpointDisk> disks(XmlElement root) {
        XmlElement disks = root.element("disks");
        if (disks == null) {
            return null;
        }
        List<CheckpointDisk> result = new ArrayList<>();
        for (XmlElement disk : disks.elements()) {
            String mode = disk.attribute("checkpoint");
            result.add(new CheckpointDisk(disk.attribute("name"),
                    mode == null ? CheckpointDiskMode.BITMAP : CheckpointDiskMode.fromXml(mode),
                    disk.attribute("bitmap"), null));
        }
        return result;
    }

    /**
     * The definition as anyone may see it: its embedded domain without what libvirt only shows with the SECURE flag
     * (for JSON views and events, which have no such flag). A domain without secrets is returned verbatim.
     */
    public CheckpointDefinition withoutSecrets(CheckpointDefinition definition) {
        // The only secret libvirt hides is an attribute named passwd: without the word there is nothing to parse.
        if (definition.domainXml() == null || !definition.domainXml().contains("passwd")) {
            return definition;
        }
        XmlElement domain = embeddedDomain(definition.domainXml(), true);
        if (!DomainXmlSecrets.hasSecrets(domain)) {
            return definition;
        }
        LibvirtXmlWriter out = new LibvirtXmlWriter();
        out.tree(DomainXmlSecrets.withoutSecrets(domain));
        return new CheckpointDefinition(definition.name(), definition.description(), definition.parent(),
                definition.creationTime(), definition.disks(), out.toString().stripTrailing());
    }

    /** libvirt's {@code virDomainCheckpointAlignDisks}; see {@link CheckpointAlignment#align}. */
    public CheckpointDefinition align(CheckpointDefinition definition, DomainDisks domain) {
        return CheckpointAlignment.align(definition, domain);
    }

    public String format(CheckpointDefinition definition, CheckpointFormatFlag... flags) {
        return format(definition,
                flags.length == 0 ? EnumSet.noneOf(CheckpointFormatFlag.class) : EnumSet.of(flags[0], flags));
    }

    /** Formats as libvirt's {@code virDomainCheckpointDefFormat}. */
    public String format(CheckpointDefinition definition, Set<CheckpointFormatFlag> flags) {
        LibvirtXmlWriter out = new LibvirtXmlWriter();
        out.line("<domaincheckpoint>");
        out.adjustIndent(2);
        out.textElement("name", definition.name());
        out.textElement("description", definition.description());
        if (definition.parent() != null) {
            out.line("<parent>");
            out.adjustIndent(2);
            out.textElement("name", definition.parent());
            out.adjustIndent(-2);
            out.line("</parent>");
        }
        if (definition.creationTime() != null && definition.creationTime() != 0) {
            out.line("<creationTime>" + definition.creationTime() + "</creationTime>");
        }
        if (definition.disks() != null && !definition.disks().isEmpty()) {
            out.line("<disks>");
            out.adjustIndent(2);
            for (CheckpointDisk disk : definition.disks()) {
                formatDisk(out, disk, flags.contains(CheckpointFormatFlag.SIZE));
            }
            out.adjustIndent(-2);
            out.line("</disks>");
        }
        if (definition.domainXml() != null && !flags.contains(CheckpointFormatFlag.NO_DOMAIN)) {
            out.tree(embeddedDomain(definition.domainXml(), flags.contains(CheckpointFormatFlag.SECURE)));
        }
        out.adjustIndent(-2);
        out.line("</domaincheckpoint>");
        return out.toString();
    }

    private static void formatDisk(LibvirtXmlWriter out, CheckpointDisk disk, boolean withSize) {
        if (disk.name() == null) {
            return;
        }
        LibvirtXmlWriter.Attributes attributes = new LibvirtXmlWriter.Attributes()
                .add("name", disk.name())
                .add("checkpoint", disk.checkpoint() == null ? null : disk.checkpoint().xml());
        if (disk.bitmap() != null) {
            attributes.add("bitmap", disk.bitmap());
            if (withSize && disk.size() != null) {
                attributes.add("size", Long.toUnsignedString(disk.size()));
            }
        }
        out.line("<disk" + attributes + "/>");
    }

    /**
     * The stored domain is re-read rather than pasted, so whatever a caller put in the definition is
     * proven to be one well-formed {@code <domain>} element before it lands in a libvirt document.
     */
    private XmlElement embeddedDomain(String domainXml, boolean secure) {
        XmlElement domain = reader.read(domainXml);
        if (!domain.name().equals("domain")) {
            throw new CairnException(VirErrorCode.VIR_ERR_XML_ERROR,
                    "embedded domain must be a <domain> element, not <" + domain.name() + ">");
        }
        return secure ? domain : DomainXmlSecrets.withoutSecrets(domain);
    }
}
