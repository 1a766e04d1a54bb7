package io.cairn.events.xml;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The data types libvirt's RNG schemas use for these two documents (basictypes.rng, domaincommon.rng),
 * as predicates: XSD patterns match the whole value.
 */
final class RngTypes {

    /** {@code checkpointName}: no leading dot, no slash, no newline, so it is always a safe file name. */
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("[a-zA-Z0-9_\\-][a-zA-Z0-9_\\-.]*");
    /** {@code diskTarget} (called {@code diskTargetDev} in newer schemas): a guest disk target name. */
    private static final Pattern DISK_TARGET_DEV = Pattern.compile("(ioemu:)?(fd|hd|sd|vd|xvd|ubd)[a-zA-Z0-9_]+");
    /** {@code absFilePath}: XSD's '.' excludes only CR and LF. */
    private static final Pattern ABS_FILE_PATH = Pattern.compile("(/|[a-zA-Z]:\\\\)[^\\n\\r]+");
    private static final Pattern DNS_NAME = Pattern.compile("[a-zA-Z0-9.\\-]+");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern UUID = Pattern.compile(
            "[a-fA-F0-9]{32}|[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final BigInteger UNSIGNED_INT_MAX = BigInteger.valueOf(4294967295L);
    private static final BigInteger UNSIGNED_LONG_MAX = new BigInteger("18446744073709551615");

    /** {@code storageFormat}: the image formats a push backup target may use. */
    static final Set<String> STORAGE_FORMATS = Set.of("raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
            "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", "luks");

    private RngTypes() {
    }

    static boolean isCheckpointName(String value) {
        return CHECKPOINT_NAME.matcher(value).matches();
    }

    static boolean isDiskTargetDev(String value) {
        return DISK_TARGET_DEV.matcher(value).matches();
    }

    static boolean isAbsFilePath(String value) {
        return ABS_FILE_PATH.matcher(value).matches();
    }

    static boolean isUuid(String value) {
        return UUID.matcher(value).matches();
    }

    /** {@code dnsName | ipAddr}. */
    static boolean isHostName(String value) {
        return DNS_NAME.matcher(value).matches() || IPV4.matcher(value).matches() || isIpv6(value);
    }

    static boolean isUnsignedInt(String value) {
        return isUnsignedUpTo(value, UNSIGNED_INT_MAX);
    }

    static boolean isUnsignedLong(String value) {
        return isUnsignedUpTo(value, UNSIGNED_LONG_MAX);
    }

    /** XSD integer types collapse surrounding whitespace before the pattern applies. */
    private static boolean isUnsignedUpTo(String value, BigInteger max) {
        String collapsed = value.strip();
        return DIGITS.matcher(collapsed).matches() && new BigInteger(collapsed).compareTo(max) <= 0;
    }

    /** Textual IPv6: eight hex groups, or fewer around one "::", optionally ending in dotted IPv4. */
    static boolean isIpv6(String value) {
        if (value.isEmpty() || value.indexOf(':') < 0) {
            return false;
        }
        int groupsAvailable = 8;
        String hexPart = value;
        int lastColon = value.lastIndexOf(':');
        String tail = value.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            if (!IPV4.matcher(tail).matches()) {
                return false;
            }
            groupsAvailable = 6;
            // keep a "::" that directly precedes the IPv4 part, drop a single separating colon
            hexPart = value.substring(0, lastColon + 1);
            if (!hexPart.endsWith("::")) {
                hexPart = hexPart.substring(0, hexPart.length() - 1);
            }
        }
        int doubleColon = hexPart.indexOf("::");
        if (doubleColon >= 0) {
            if (hexPart.indexOf("::", doubleColon + 1) >= 0) {
                return false;
            }
            int left = countGroups(hexPart.substring(0, doubleColon));
            int right = countGroups(hexPart.substring(doubleColon + 2));
            return left >= 0 && right >= 0 && left + right < groupsAvailable;
        }
        return countGroups(hexPart) == groupsAvailable;
    }

    /** Number of colon-separated hex groups, 0 for "", -1 when malformed. */
    private static int countGroups(String part) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] groups = part.split(":", -1);
        for (String group : groups) {
            if (!HEX_GROUP.matcher(group).matches()) {
                return -1;
            }
        }
        return groups.length;
    }
}
