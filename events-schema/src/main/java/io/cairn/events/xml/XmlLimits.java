package io.cairn.events.xml;

/**
 * Bounds on an untrusted XML document, checked before and while parsing so a hostile document costs
 * little.
 *
 * @param maxBytes largest accepted document, in UTF-8 bytes
 * @param maxDepth deepest accepted element nesting (the root element is depth 1)
 */
public record XmlLimits(int maxBytes, int maxDepth) {

    /** 1 MiB: a domain definition with hundreds of devices is still far below it. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    /** Real libvirt documents nest about ten levels deep; 64 leaves ample room. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    public static final XmlLimits DEFAULT = new XmlLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);

    /** The parser descends recursively; this keeps any configuration far from a stack overflow. */
    public static final int MAX_SUPPORTED_DEPTH = 1024;

    public XmlLimits {
        if (maxBytes <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("XML limits must be positive");
        }
        if (maxDepth > MAX_SUPPORTED_DEPTH) {
            throw new IllegalArgumentException("maxDepth above " + MAX_SUPPORTED_DEPTH + " is not supported");
        }
    }
}
