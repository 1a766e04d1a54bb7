package io.cairn.backup.service.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.catalog.RestorePoints;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keep rules on their own, against Proxmox's documented prune semantics (UTC days, ISO weeks). */
class KeepRulesTest {

    @Test
    void keepLastKeepsTheNewestPoints() {
        assertThat(kept(RetentionPolicy.keepLast(3), "2026-11-01T01:00:00Z", "2026-11-01T02:00:00Z",
                "2026-11-01T03:00:00Z", "2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z"))
                .containsExactly(Map.entry("2026-11-01T05:00:00Z", RetentionRule.KEEP_LAST),
                        Map.entry("2026-11-01T04:00:00Z", RetentionRule.KEEP_LAST),
                        Map.entry("2026-11-01T03:00:00Z", RetentionRule.KEEP_LAST));
    }

    @Test
    void keepDailyKeepsTheNewestPointOfEachDay() {
        assertThat(kept(new RetentionPolicy(0, 2, 0, 0, 0), "2026-11-01T08:00:00Z", "2026-11-02T08:00:00Z",
                "2026-11-02T20:00:00Z", "2026-11-03T01:00:00Z", "2026-11-03T12:00:00Z", "2026-11-03T23:59:59Z"))
                .containsExactly(Map.entry("2026-11-03T23:59:59Z", RetentionRule.KEEP_DAILY),
                        Map.entry("2026-11-02T20:00:00Z", RetentionRule.KEEP_DAILY));
    }

    @Test
    void daysWithoutAPointDoNotCount() {
        assertThat(kept(new RetentionPolicy(0, 2, 0, 0, 0), "2026-11-01T08:00:00Z", "2026-11-06T08:00:00Z",
                "2026-11-11T08:00:00Z")).containsOnlyKeys("2026-11-11T08:00:00Z", "2026-11-06T08:00:00Z");
    }

    @Test
    void aDayAnEarlierRuleAlreadyKeepsAPointOfIsNotCountedAgain() {
        assertThat(kept(new RetentionPolicy(1, 2, 0, 0, 0), "2026-11-01T08:00:00Z", "2026-11-02T08:00:00Z",
                "2026-11-03T08:00:00Z", "2026-11-03T09:00:00Z"))
                .containsExactly(Map.entry("2026-11-03T09:00:00Z", RetentionRule.KEEP_LAST),
                        Map.entry("2026-11-02T08:00:00Z", RetentionRule.KEEP_DAILY),
                        Map.entry("2026-11-01T08:00:00Z", RetentionRule.KEEP_DAILY));
    }

    @Test
    void daysAreUtcCalendarDays() {
        // 23:30Z and 00:30Z the next day are one day in Europe/Berlin but two in UTC.
        assertThat(kept(new RetentionPolicy(0, 2, 0, 0, 0), "2026-11-01T23:30:00Z", "2026-11-02T00:30:00Z"))
                .hasSize(2);
    }

    @Test
    void weeksAreIsoWeeksAcrossTheNewYear() {
        // 2026 has 53 ISO weeks: Thursday 31 December and Sunday 3 January are both in 2026-W53.
        assertThat(kept(new RetentionPolicy(0, 0, 2, 0, 0), "2026-12-27T12:00:00Z", "2026-12-31T12:00:00Z",
                "2027-01-03T12:00:00Z", "2027-01-04T12:00:00Z"))
                .containsExactly(Map.entry("2027-01-04T12:00:00Z", RetentionRule.KEEP_WEEKLY),
                        Map.entry("2027-01-03T12:00:00Z", RetentionRule.KEEP_WEEKLY));
    }

    @Test
    void theRulesTogetherAsInProxmoxsExample() {
        // keep-last 2, keep-daily 2, keep-weekly 2 over three points a day for ten days.
        List<String> times = new ArrayList<>();
        for (int day = 1; day <= 10; day++) {
            for (int hour : new int[] {6, 12, 18}) {
                times.add("2026-11-%02dT%02d:00:00Z".formatted(day, hour));
            }
        }
        assertThat(kept(new RetentionPolicy(2, 2, 2, 0, 0), times.toArray(String[]::new))).containsExactly(
                Map.entry("2026-11-10T18:00:00Z", RetentionRule.KEEP_LAST),
                Map.entry("2026-11-10T12:00:00Z", RetentionRule.KEEP_LAST),
                Map.entry("2026-11-09T18:00:00Z", RetentionRule.KEEP_DAILY),
                Map.entry("2026-11-08T18:00:00Z", RetentionRule.KEEP_DAILY),
                // 9-10 November are W46 and 8 November (a Sunday) W45, both covered: only W44 is left.
                Map.entry("2026-11-01T18:00:00Z", RetentionRule.KEEP_WEEKLY));
    }

    /** Time of each kept point to its rule, newest first; every point is a full of its own. */
    private static Map<String, RetentionRule> kept(RetentionPolicy policy, String... times) {
        List<Artifact> catalog = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            catalog.add(new Artifact("j" + i, "vm1", "h", "vda", "c" + i, null, BackupMode.PUSH, "/p" + i, "qcow2",
                    1L, null, Instant.parse(times[i])));
        }
        List<RestorePoint> points = RestorePoints.of(catalog, List.of());
        Map<String, RetentionRule> byJob = KeepRules.select(policy, points);
        Map<String, RetentionRule> byTime = new java.util.LinkedHashMap<>();
        for (RestorePoint point : points) {
            if (byJob.containsKey(point.jobId())) {
                byTime.put(point.time().toString(), byJob.get(point.jobId()));
            }
        }
        return byTime;
    }
}
