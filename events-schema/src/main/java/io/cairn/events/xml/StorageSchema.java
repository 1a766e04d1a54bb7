package io.cairn.events.xml;

import java.util.Set;

/**
 * The storage parts of domaincommon.rng a backup store may carry ({@code devSeclabel},
 * {@code encryption}), shared by push targets and pull scratch files.
 */
final class StorageSchema {

    private static final Set<String> YES_NO = Set.of("yes", "no");

    private StorageSchema() {
    }

    /** A push {@code <target>} or pull {@code <scratch>}: path attribute plus seclabels and encryption. */
    static void store(SchemaCheck check, XmlElement store, String pathAttribute) {
        check.onlyAttributes(store, Set.of(pathAttribute));
        check.typedAttribute(store, pathAttribute, RngTypes::isAbsFilePath, "absolute path");
        check.onlyChildren(store, Set.of("seclabel", "encryption"));
        check.atMostOnce(store, "encryption");
        for (XmlElement child : store.elements()) {
            if (child.name().equals("seclabel")) {
                seclabel(check, child);
            } else {
                encryption(check, child);
            }
        }
    }

    /**
     * {@code devSeclabel}: exactly one of relabel='no', labelskip='yes', or [relabel='yes'] with at
     * least one {@code <label>}.
     */
    static void seclabel(SchemaCheck check, XmlElement seclabel) {
        check.onlyAttributes(seclabel, Set.of("model", "relabel", "labelskip"));
        check.onlyChildren(seclabel, Set.of("label"));
        String relabel = check.choiceAttribute(seclabel, "relabel", YES_NO);
        String labelskip = check.choiceAttribute(seclabel, "labelskip", Set.of("yes"));
        boolean hasLabel = seclabel.element("label") != null;
        if ("no".equals(relabel) || labelskip != null) {
            if (hasLabel || (relabel != null && labelskip != null)) {
                throw check.fail("Element seclabel: relabel='no' and labelskip='yes' stand alone");
            }
        } else if (!hasLabel) {
            throw check.fail("Element seclabel: expecting relabel='no', labelskip='yes' or a label");
        }
        for (XmlElement label : seclabel.elements()) {
            check.textElement(label);
        }
    }

    /** The backup flavour of {@code encryption}: LUKS only, one secret, optional cipher+ivgen pair. */
    static void encryption(SchemaCheck check, XmlElement encryption) {
        check.onlyAttributes(encryption, Set.of("format", "engine"));
        check.requiredAttribute(encryption, "format");
        check.choiceAttribute(encryption, "format", Set.of("luks"));
        check.choiceAttribute(encryption, "engine", Set.of("qemu"));
        check.onlyChildren(encryption, Set.of("secret", "cipher", "ivgen"));
        for (String name : Set.of("secret", "cipher", "ivgen")) {
            check.atMostOnce(encryption, name);
        }
        XmlElement secret = encryption.element("secret");
        if (secret == null) {
            throw check.fail("Element encryption: expecting an element secret");
        }
        secret(check, secret);
        XmlElement cipher = encryption.element("cipher");
        XmlElement ivgen = encryption.element("ivgen");
        if ((cipher == null) != (ivgen == null)) {
            throw check.fail("Element encryption: cipher and ivgen must be given together");
        }
        if (cipher != null) {
            check.emptyElement(cipher, Set.of("name", "size", "mode", "hash"));
            check.requiredAttribute(cipher, "name");
            check.typedAttribute(cipher, "size", RngTypes::isUnsignedInt, "unsignedInt");
            if (cipher.hasAttribute("mode") != cipher.hasAttribute("hash")) {
                throw check.fail("Element cipher failed to validate attributes: mode and hash go together");
            }
            check.emptyElement(ivgen, Set.of("name", "hash"));
            check.requiredAttribute(ivgen, "name");
        }
    }

    private static void secret(SchemaCheck check, XmlElement secret) {
        check.emptyElement(secret, Set.of("type", "uuid", "usage"));
        check.requiredAttribute(secret, "type");
        check.choiceAttribute(secret, "type", Set.of("passphrase"));
        boolean uuid = secret.hasAttribute("uuid");
        if (uuid == secret.hasAttribute("usage")) {
            throw check.fail("Element secret failed to validate attributes: exactly one of uuid and usage");
        }
        check.optionalAttribute(secret, "uuid", RngTypes::isUuid, "UUID");
    }
}
