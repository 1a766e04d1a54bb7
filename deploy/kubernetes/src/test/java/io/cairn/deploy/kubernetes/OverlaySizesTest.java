package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import org.junit.jupiter.api.Test;

/** Evaluation fits one node with one of everything; production keeps every piece redundant. */
class OverlaySizesTest {

    @Test
    void evaluationRunsOneOfEverything() {
        RenderedOverlay rendered = RenderedOverlay.render("evaluation");

        assertThat(rendered.all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
        assertThat(rendered.all(KafkaNodePool.class)).allSatisfy(p -> assertThat(p.getSpec().getReplicas()).isEqualTo(1));
        assertThat(rendered.raw("postgresql.cnpg.io/v1/Cluster")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.path("spec").path("instances").asInt()).isEqualTo(1));
    }

    @Test
    void productionIsRedundant() {
        RenderedOverlay rendered = RenderedOverlay.render("production");

        assertThat(rendered.all(Deployment.class))
                .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(2));
        for (ProcessRoles role : ProcessRoles.values()) {
            assertThat(rendered.all(KafkaNodePool.class).stream()
                    .filter(p -> p.getSpec().getRoles().contains(role))
                    .mapToInt(p -> p.getSpec().getReplicas()).sum()).as(role.toValue()).isGreaterThanOrEqualTo(3);
        }
        assertThat(rendered.raw("postgresql.cnpg.io/v1/Cluster")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(3));
    }

    @Test
    void servicesRunWithoutATokenAsNonRootWithTheMeasuredMemory() {
        for (String overlay : RenderedOverlay.OVERLAYS) {
            RenderedOverlay rendered = RenderedOverlay.render(overlay);
            assertThat(rendered.all(ServiceAccount.class))
                    .allSatisfy(a -> assertThat(a.getAutomountServiceAccountToken()).isFalse());
            for (Deployment deployment : rendered.all(Deployment.class)) {
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                assertThat(pod.getServiceAccountName()).isEqualTo(deployment.getMetadata().getName());
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                var container = pod.getContainers().get(0);
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                // 440-560 MiB RSS measured under load at -Xmx256m (bench): the request must cover the usual, the
                // limit the peak and more, or a busy replica is OOM-killed.
                assertThat(container.getResources().getRequests().get("memory").getNumericalAmount().longValue())
                        .isGreaterThanOrEqualTo(512L << 20);
                assertThat(container.getResources().getLimits().get("memory").getNumericalAmount().longValue())
                        .isGreaterThan(640L << 20);
            }
        }
    }
}
