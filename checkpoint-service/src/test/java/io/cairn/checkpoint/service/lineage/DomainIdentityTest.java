package io.cairn.checkpoint.service.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainIdentityTest {
    private static final String A = "6b29fc40-ca47-1067-b31d-00dd010662da";
    private static final String B = "9f2b7c41-0d6e-4a83-b5c2-6e1f8a3d0c97";

    @Test
    void aLineageFollowsTheVmItWasMadeOn() {
        assertThat(DomainIdentity.of(A, A)).isEqualTo(DomainIdentity.SAME);
        assertThat(DomainIdentity.of(A, A.toUpperCase())).as("UUIDs compare without case").isEqualTo(DomainIdentity.SAME);
        assertThat(DomainIdentity.of(null, A)).as("an unbound lineage is bound, not retired").isEqualTo(DomainIdentity.BIND);
        assertThat(DomainIdentity.of(A, B)).as("another VM under the name").isEqualTo(DomainIdentity.RETIRE);
        assertThat(DomainIdentity.of(A, null)).as("a VM without a UUID says nothing").isEqualTo(DomainIdentity.SAME);
        assertThat(DomainIdentity.of(null, null)).isEqualTo(DomainIdentity.SAME);
    }
}
