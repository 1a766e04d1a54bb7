package io.cairn.backup.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.job.FairUseLimits;
import io.cairn.backup.service.job.JobLifetimes;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped defaults for fair use and lifetimes load and convert into the model's value types. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupLimitsConfigTest {

    @Inject
    BackupLimitsConfig config;

    @Inject
    Clock clock;

    @Test
    void defaultsFollowThePeersAndTheContract() {
        assertThat(config.fairUse()).isEqualTo(new FairUseLimits(2, 5));
        assertThat(config.lifetimes()).isEqualTo(new JobLifetimes(Duration.ofHours(2), Duration.ofMinutes(2),
                Duration.ofSeconds(90), Duration.ofMinutes(30)));
        assertThat(config.progressInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theServiceClockIsUtc() {
        assertThat(clock.getZone()).isEqualTo(java.time.ZoneOffset.UTC);
    }
}
