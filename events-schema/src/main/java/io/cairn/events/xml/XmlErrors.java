package io.cairn.events.xml;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/** Builds the exceptions libvirt would raise for XML problems, with libvirt's codes and wording. */
final class XmlErrors {

    private XmlErrors() {
    }

    /** An RNG violation, worded like libvirt's {@code virXMLValidatorValidate}. */
    static CairnException schema(String schemaFile, String detail) {
        return new CairnException(VirErrorCode.VIR_ERR_XML_INVALID_SCHEMA,
                "Unable to validate doc against " + schemaFile + "\n" + detail);
    }

    /** A document that is not acceptable XML at all (malformed, hostile, too big). */
    static CairnException malformed(String detail) {
        return new CairnException(VirErrorCode.VIR_ERR_XML_ERROR, detail);
    }

    static CairnException of(VirErrorCode code, String message) {
        return new CairnException(code, message);
    }
}
