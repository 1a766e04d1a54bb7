package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every pod is covered by the policies, its egress reaches the broker listener and database it is configured for, and
 * only client namespaces reach the services' APIs and the brokers, and only Prometheus their metrics.
 */
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
            if (env.containsKey("CAIRN_CHECKPOINT_URL")) {
                // The console's calls: to checkpoint-service's Service on its API port, which an egress rule opens.
                assertThat(env.get("CAIRN_CHECKPOINT_URL")).as(name).isEqualTo("http://checkpoint-service:18081");
                assertThat(policiesFor(rendered, pod).stream().flatMap(p -> p.getSpec().getEgress().stream())
                        .filter(rule -> rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null
                                && Map.of("app.kubernetes.io/name", "checkpoint-service")
                                        .equals(peer.getPodSelector().getMatchLabels())))
                        .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getStrVal()))
                        .as(name).containsExactly("http");
            }
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

    /** The namespace label that makes a namespace's pods Cairn's clients (REST and Kafka). */
    static final Map<String, String> CLIENTS = Map.of("cairn.io/client", "true");
    /** Prometheus' namespace. */
    static final Map<String, String> MONITORING = Map.of("kubernetes.io/metadata.name", "monitoring");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServicesRestIsReachableOnlyFromClientNamespacesAndTheirMetricsOnlyFromMonitoring(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : List.of("checkpoint-service", "backup-service")) {
            List<NetworkPolicyIngressRule> all = ingressRules(rendered, Workloads.pods(rendered).get(service));
            // The console's one pod-to-pod rule, checked on its own below.
            List<NetworkPolicyIngressRule> rules = all.stream()
                    .filter(rule -> rule.getFrom().stream().allMatch(peer -> peer.getPodSelector() == null)).toList();
            List<NetworkPolicyIngressRule> fromPods = all.stream().filter(rule -> !rules.contains(rule)).toList();
            if (service.equals("checkpoint-service")) {
                assertThat(ports(fromPods)).as("the console's calls").containsExactly("http");
                assertThat(fromPods.get(0).getFrom()).singleElement().satisfies(peer -> {
                    assertThat(peer.getNamespaceSelector()).isNull();
                    assertThat(peer.getPodSelector().getMatchLabels())
                            .isEqualTo(Map.of("app.kubernetes.io/name", "backup-service"));
                });
            } else {
                assertThat(fromPods).as(service + ": no pod may call it but from client namespaces").isEmpty();
            }

            assertThat(ports(rules)).as(service).containsExactlyInAnyOrder("http", "management");
            for (NetworkPolicyIngressRule rule : rules) {
                List<String> ports = ports(List.of(rule));
                assertThat(peers(List.of(rule))).as(service + " " + ports)
                        .containsExactly(ports.equals(List.of("http")) ? CLIENTS : MONITORING);
                assertThat(ports).as(service + ": one port per rule").hasSize(1);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theAgentIsReachableOnlyByPrometheus(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        PodTemplateSpec agent = Workloads.pods(rendered).get("host-agent");
        List<NetworkPolicyIngressRule> rules = ingressRules(rendered, agent);

        assertThat(peers(rules)).containsExactly(MONITORING);
        assertThat(ports(rules)).as("metrics only; health is the kubelet's").containsOnly("management");
        // NBD exports are QEMU's, in the node's network namespace: the pod neither serves them nor shares that
        // namespace, so no pod policy could govern them (README: per-job TLS key, node firewall).
        assertThat(agent.getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(agent.getSpec().getContainers().get(0).getPorts()).extracting(p -> p.getName())
                .containsExactly("http", "management");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noPolicyAdmitsEveryoneOrEveryNamespace(String overlay) {
        for (NetworkPolicy policy : RenderedOverlay.render(overlay).all(NetworkPolicy.class)) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getFrom()).as(policy.getMetadata().getName() + ": a rule without peers admits all")
                        .isNotEmpty();
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertThat(peer.getIpBlock()).as(policy.getMetadata().getName()).isNull();
                    if (peer.getNamespaceSelector() != null) {
                        assertThat(peer.getNamespaceSelector().getMatchLabels()).as(policy.getMetadata().getName()
                                + ": an empty namespace selector is every namespace").isNotEmpty();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theBrokersAreReachableOnlyFromCairnsPodsAndClientNamespaces(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        assertThat(kafka.getSpec().getKafka().getListeners()).allSatisfy(listener -> {
            List<NetworkPolicyPeer> peers = listener.getNetworkPolicyPeers();
            assertThat(peers).as(listener.getName()).hasSize(2);
            assertThat(peers).anySatisfy(p -> {
                assertThat(p.getNamespaceSelector()).as("this namespace only").isNull();
                assertThat(p.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/part-of", "cairn"));
            });
            assertThat(peers).anySatisfy(p -> {
                assertThat(p.getPodSelector()).isNull();
                assertThat(p.getNamespaceSelector().getMatchLabels()).isEqualTo(CLIENTS);
            });
        });
        // Every Cairn pod carries the label the brokers admit.
        Workloads.pods(rendered).forEach((name, pod) -> assertThat(pod.getMetadata().getLabels()).as(name)
                .containsEntry("app.kubernetes.io/part-of", "cairn"));
    }

    private static List<NetworkPolicyIngressRule> ingressRules(RenderedOverlay rendered, PodTemplateSpec pod) {
        return policiesFor(rendered, pod).stream().filter(p -> p.getSpec().getPolicyTypes().contains("Ingress"))
                .flatMap(p -> p.getSpec().getIngress().stream()).toList();
    }

    /** Each peer as the namespace labels it selects; a peer selecting pods is not expected here and fails. */
    private static List<Map<String, String>> peers(List<NetworkPolicyIngressRule> rules) {
        return rules.stream().flatMap(r -> r.getFrom().stream()).map(peer -> {
            assertThat(peer.getPodSelector()).as("a namespace peer, all its pods").isNull();
            return peer.getNamespaceSelector().getMatchLabels();
        }).toList();
    }

    private static List<String> ports(List<NetworkPolicyIngressRule> rules) {
        return rules.stream().flatMap(r -> r.getPorts().stream()).map(p -> p.getPort().getStrVal()).toList();
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
