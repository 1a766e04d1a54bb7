package io.cairn.backup.service.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import org.junit.jupiter.api.Test;

/** A policy is refused with VIR_ERR_INVALID_ARG and a message naming the setting, never half accepted. */
class RetentionPolicyTest {

    @Test
    void aNegativeSettingIsRefusedByName() {
        assertInvalid(() -> new RetentionPolicy(-1, 0, 0, 0, 0), "retention policy: keepLast must be 0 or more, got -1");
        assertInvalid(() -> new RetentionPolicy(1, -2, 0, 0, 0), "keepDaily must be 0 or more, got -2");
        assertInvalid(() -> new RetentionPolicy(1, 0, -3, 0, 0), "keepWeekly must be 0 or more, got -3");
        assertInvalid(() -> new RetentionPolicy(1, 0, 0, -4, 0), "fullEvery must be 0 or more, got -4");
        assertInvalid(() -> new RetentionPolicy(1, 0, 0, 0, -5), "maxChainBytes must be 0 or more, got -5");
    }

    @Test
    void aPolicyKeepingNothingIsRefused() {
        assertInvalid(() -> new RetentionPolicy(0, 0, 0, 7, 1L << 30), "retention policy keeps no restore point");
    }

    @Test
    void anyOneKeepRuleIsEnoughAndZeroTurnsAFullRuleOff() {
        assertThat(new RetentionPolicy(0, 0, 1, 0, 0).keepWeekly()).isEqualTo(1);
        RetentionPolicy policy = RetentionPolicy.keepLast(3).withFullEvery(6).withMaxChainBytes(1 << 20);
        assertThat(policy).isEqualTo(new RetentionPolicy(3, 0, 0, 6, 1 << 20));
    }

    private static void assertInvalid(Runnable creation, String message) {
        assertThatThrownBy(creation::run).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG)).hasMessageContaining(message);
    }
}
