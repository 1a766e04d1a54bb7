package io.cairn.cli.verb;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Reads an export's --ttl as people write it (90s, 30m, 8h, 2d) or as the contract does (PT8H). */
final class ExportDurations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    private ExportDurations() {
    }

    /** The ISO-8601 form the contract takes; the service checks the bounds. */
    static String iso(CommandLine line, String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return d.toString();
        }
        try {
            return Duration.parse(text.trim()).toString();
        } catch (DateTimeParseException e) {
            throw new ParameterException(line, "--ttl '" + text + "' is not a duration (e.g. 8h, 30m, 2d, PT8H)");
        }
    }
}
