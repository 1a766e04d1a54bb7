package io.cairn.core.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one error table: an agent's error name becomes libvirt's code, an unknown one the internal error. */
class VirErrorsTest {

    @Test
    void everyCodeIsFoundByItsName() {
        for (VirErrorCode code : VirErrorCode.values()) {
            assertThat(VirErrors.codeNamed(code.name())).isEqualTo(code);
        }
    }

    @Test
    void anUnknownOrMissingNameIsTheInternalError() {
        assertThat(VirErrors.codeNamed("VIR_ERR_FROM_A_NEWER_AGENT")).isEqualTo(VirErrorCode.VIR_ERR_INTERNAL_ERROR);
        assertThat(VirErrors.codeNamed(null)).isEqualTo(VirErrorCode.VIR_ERR_INTERNAL_ERROR);
    }

    @Test
    void anAgentsRefusalIsThrownAsTheErrorItNamed() {
        AgentResult refused = new AgentResult("r1", "host-a", "vm1", "bitmaps.add", false,
                ErrorInfo.of(VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT, "broken"), List.of(), Instant.now());
        assertThatThrownBy(() -> VirErrors.requireSuccess(refused)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code())
                        .isEqualTo(VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT))
                .hasMessage("broken");
        AgentResult unexplained = new AgentResult("r2", "host-a", "vm1", "bitmaps.add", false, null, List.of(),
                Instant.now());
        assertThat(VirErrors.refusal(unexplained).code()).isEqualTo(VirErrorCode.VIR_ERR_INTERNAL_ERROR);
    }
}
