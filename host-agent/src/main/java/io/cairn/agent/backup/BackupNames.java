package io.cairn.agent.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names the agent gives things in QEMU, chosen so a restarted agent can tell from QEMU alone which job
 * they belong to: the QEMU job id carries the disk and the service's job id ({@code backup-vda-<jobId>},
 * libvirt's {@code backup-<disk>-...} shape); node names, limited to 31 characters by QEMU, carry a hash
 * of the job id, the disk and whether the agent created the file behind them ({@code cbk1a2b3c4ds-vda-fmt}).
 */
public final class BackupNames {

    public static final String JOB_PREFIX = "backup-";
    public static final String NODE_PREFIX = "cbk";
    /** QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Disk names short enough for the longest node name ("cbk" + 8 + kind + "-" + disk + "-file" <= 31). */
    private static final Pattern DISK = Pattern.compile("[A-Za-z0-9_]{1,13}");
    private static final Pattern NODE = Pattern.compile("cbk([0-9a-f]{8})([tsrq])-([A-Za-z0-9_]+)-(fmt|file)");

    /** What a node stands for; the letter is part of the node name. */
    public enum StoreKind {
        CREATED_TARGET('t'), REUSED_TARGET('r'), CREATED_SCRATCH('s'), REUSED_SCRATCH('q');

        private final char letter;

        StoreKind(char letter) {
            this.letter = letter;
        }

        public boolean createdByAgent() {
            return this == CREATED_TARGET || this == CREATED_SCRATCH;
        }

        public boolean scratch() {
            return this == CREATED_SCRATCH || this == REUSED_SCRATCH;
        }

        static StoreKind of(char letter) {
            for (StoreKind kind : values()) {
                if (kind.letter == letter) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no store kind " + letter);
        }
    }

    /** A node name taken apart. */
    public record ParsedNode(String jobHash, String disk, StoreKind kind, boolean formatNode) {
    }

    /** A QEMU job id taken apart. */
    public record ParsedJob(String disk, String jobId) {
    }

    private BackupNames() {
    }

    public static boolean isUsableJobId(String jobId) {
        return jobId != null && WELL_FORMED.matcher(jobId).matches();
    }

    public static boolean isUsableDiskName(String disk) {
        return disk != null && DISK.matcher(disk).matches();
    }

    public static String qemuJobId(String disk, String jobId) {
        return JOB_PREFIX + disk + "-" + jobId;
    }

    public static Optional<ParsedJob> parseJob(String qemuJobId) {
        if (!qemuJobId.startsWith(JOB_PREFIX)) {
            return Optional.empty();
        }
        String rest = qemuJobId.substring(JOB_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || dash == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ParsedJob(rest.substring(0, dash), rest.substring(dash + 1)));
    }

    public static String formatNode(String jobId, String disk, StoreKind kind) {
        return nodeBase(jobId, disk, kind) + "-fmt";
    }

    public static String fileNode(String jobId, String disk, StoreKind kind) {
        return nodeBase(jobId, disk, kind) + "-file";
    }

    public static Optional<ParsedNode> parseNode(String nodeName) {
        Matcher matcher = NODE.matcher(nodeName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ParsedNode(matcher.group(1), matcher.group(3), StoreKind.of(matcher.group(2).charAt(0)),
                matcher.group(4).equals("fmt")));
    }

    /** libvirt's temporary bitmap name for a disk's incremental backup. */
    public static String tempBitmap(String disk) {
        return JOB_PREFIX + disk;
    }

    public static String exportId(String formatNode) {
        return "nbd-" + formatNode;
    }

    public static final String TLS_OBJECT_PREFIX = "cbk-tls-";

    public static String tlsObjectId(String jobId) {
        return TLS_OBJECT_PREFIX + jobHash(jobId);
    }

    public static String jobHash(String jobId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nodeBase(String jobId, String disk, StoreKind kind) {
        return NODE_PREFIX + jobHash(jobId) + kind.letter + "-" + disk;
    }
}
