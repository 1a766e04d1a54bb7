package io.cairn.cli.output;

import java.util.Locale;

/** Byte counts and rates in binary units, as virsh's domjobinfo shows them (e.g. {@code 64.000 MiB}). */
public final class Bytes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Bytes() {
    }

    public static String of(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.3f %s", value, UNITS[unit]);
    }

    public static String rate(double bytesPerSecond) {
        return of((long) bytesPerSecond) + "/s";
    }
}
