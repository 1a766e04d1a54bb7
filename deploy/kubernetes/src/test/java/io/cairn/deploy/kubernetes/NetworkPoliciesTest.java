package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every pod is covered by the policies, and its egress reaches the broker listener and database it is configured for. */
class NetworkPoliciesTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodHasIngressAndEgressPolicies(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Workloads.pods(rendered).forEach((name, pod) -> {
            List<NetworkPolicy> policies = policiesFor(rendered, pod);
            assertThat(policies).as(name).anySatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).contains("Ingress"));
            assertThat(policies).as(name).anySatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).contains("Egress"));
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void egressReachesTheConfiguredBrokerAndDatabasePorts(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        int kafkaPort = kafka.getSpec().getKafka().getListeners().get(0).getPort();

        Workloads.pods(rendered).forEach((name, pod) -> {
            Map<String, String> env = Workloads.environment(rendered, pod.getSpec().getContainers().get(0));
            List<Integer> ports = policiesFor(rendered, pod).stream()
                    .flatMap(p -> p.getSpec().getEgress().stream())
                    .map(NetworkPolicyEgressRule::getPorts).flatMap(List::stream)
                    .map(NetworkPolicyPort::getPort).map(p -> p.getIntVal()).toList();
            assertThat(ports).as(name).contains(kafkaPort, 53);
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).endsWith(":" + kafkaPort);
            if (env.containsKey("PG_PORT")) {
                boolean usesDatabase = env.containsKey("PG_DB");
                assertThat(ports.contains(Integer.parseInt(env.get("PG_PORT")))).as(name).isEqualTo(usesDatabase);
            }
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceAndItsDatabaseClusterReachOnlyEachOther(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Workloads.pods(rendered).forEach((name, pod) -> {
            Map<String, String> env = Workloads.environment(rendered, pod.getSpec().getContainers().get(0));
            List<String> clustersReached = policiesFor(rendered, pod).stream()
                    .flatMap(p -> p.getSpec().getEgress().stream())
                    .flatMap(rule -> rule.getTo().stream())
                    .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null)
                    .map(peer -> peer.getPodSelector().getMatchLabels().get("cnpg.io/cluster"))
                    .filter(java.util.Objects::nonNull).toList();
            String own = env.containsKey("PG_HOST") ? env.get("PG_HOST").replaceFirst("-rw$", "") : null;
            assertThat(clustersReached).as(name).isEqualTo(own == null ? List.of() : List.of(own));
            if (own != null) {
                // The cluster's ingress admits this service's pods and no other workload's.
                List<NetworkPolicy> ingress = rendered.all(NetworkPolicy.class).stream()
                        .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress"))
                        .filter(p -> own.equals(p.getSpec().getPodSelector().getMatchLabels() == null ? null
                                : p.getSpec().getPodSelector().getMatchLabels().get("cnpg.io/cluster")))
                        .toList();
                assertThat(ingress).as(own).hasSize(1);
                Workloads.pods(rendered).forEach((other, otherPod) -> {
                    boolean admitted = ingress.get(0).getSpec().getIngress().stream()
                            .flatMap(rule -> rule.getFrom().stream())
                            .anyMatch(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null
                                    && matches(peer.getPodSelector(), otherPod.getMetadata().getLabels()));
                    assertThat(admitted).as(own + " admits " + other).isEqualTo(other.equals(name));
                });
            }
        });
    }

    private static List<NetworkPolicy> policiesFor(RenderedOverlay rendered, PodTemplateSpec pod) {
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> matches(p.getSpec().getPodSelector(), pod.getMetadata().getLabels())).toList();
    }

    /** Label selector semantics for what the policies use: matchLabels and the In operator. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null
                && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            if (!requirement.getOperator().equals("In")) {
                throw new IllegalArgumentException("unsupported operator " + requirement.getOperator());
            }
            if (!requirement.getValues().contains(labels.get(requirement.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
