package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.RestorePoint;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Picks the restore points a policy keeps, apart from chains and files: the rules are about points in time, and
 * keeping them separate lets them be tested against Proxmox's documented behaviour on their own.
 */
final class KeepRules {

    private final Map<String, RetentionRule> kept = new LinkedHashMap<>();
    private final List<RestorePoint> newestFirst;

    private KeepRules(List<RestorePoint> newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** Job id to the rule keeping it, for the given complete points (newest first). */
    static Map<String, RetentionRule> select(RetentionPolicy policy, List<RestorePoint> newestFirst) {
        KeepRules rules = new KeepRules(newestFirst);
        rules.mark(policy.keepLast(), RestorePoint::jobId, RetentionRule.KEEP_LAST);
        rules.mark(policy.keepDaily(), KeepRules::day, RetentionRule.KEEP_DAILY);
        rules.mark(policy.keepWeekly(), KeepRules::week, RetentionRule.KEEP_WEEKLY);
        return rules.kept;
    }

    /**
     * Keeps the newest point of each of the {@code count} newest periods holding a point, skipping the periods an
     * earlier rule already keeps a point in (Proxmox: a rule does not count what an earlier one covered).
     */
    private void mark(int count, Function<RestorePoint, String> period, RetentionRule rule) {
        if (count == 0) {
            return;
        }
        Set<String> covered = new HashSet<>();
        for (RestorePoint point : newestFirst) {
            if (kept.containsKey(point.jobId())) {
                covered.add(period.apply(point));
            }
        }
        Set<String> taken = new HashSet<>();
        for (RestorePoint point : newestFirst) {
            String key = period.apply(point);
            if (kept.containsKey(point.jobId()) || covered.contains(key) || taken.contains(key)) {
                continue;
            }
            if (taken.size() == count) {
                return;
            }
            taken.add(key);
            kept.put(point.jobId(), rule);
        }
    }

    private static String day(RestorePoint point) {
        return point.time().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String week(RestorePoint point) {
        ZonedDateTime time = point.time().atZone(ZoneOffset.UTC);
        return time.get(IsoFields.WEEK_BASED_YEAR) + "-W" + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
