package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The pods are wired to what exists: keys, selectors, ports, probe paths, images, the broker and the database. */
class PodWiringTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyReferencedSecretAndConfigMapKeyExists(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Map<String, Set<String>> secrets = Workloads.secretKeys(rendered);
        Map<String, Set<String>> configMaps = Workloads.configMapKeys(rendered);

        Workloads.pods(rendered).forEach((name, pod) -> {
            for (Container container : pod.getSpec().getContainers()) {
                for (EnvFromSource from : container.getEnvFrom()) {
                    assertThat(configMaps).as(name).containsKey(from.getConfigMapRef().getName());
                }
                for (EnvVar var : container.getEnv()) {
                    if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                        assertThat(secrets.get(var.getValueFrom().getSecretKeyRef().getName()))
                                .as(name + " " + var.getName()).contains(var.getValueFrom().getSecretKeyRef().getKey());
                    }
                    if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                        assertThat(configMaps.get(var.getValueFrom().getConfigMapKeyRef().getName()))
                                .as(name + " " + var.getName())
                                .contains(var.getValueFrom().getConfigMapKeyRef().getKey());
                    }
                }
            }
            for (Volume volume : pod.getSpec().getVolumes()) {
                if (volume.getSecret() != null) {
                    Set<String> keys = secrets.get(volume.getSecret().getSecretName());
                    assertThat(keys).as(name + " volume " + volume.getName()).isNotNull();
                    for (KeyToPath item : volume.getSecret().getItems()) {
                        assertThat(keys).as(name + " volume " + volume.getName()).contains(item.getKey());
                    }
                }
            }
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void bothServicesVerifyRestTokensFromThePlatformsOidcSecretAndNeverRunOpen(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : List.of("checkpoint-service", "backup-service")) {
            Container container = Workloads.pods(rendered).get(service).getSpec().getContainers().get(0);
            Map<String, EnvVar> env = new java.util.HashMap<>();
            container.getEnv().forEach(var -> env.put(var.getName(), var));
            for (String name : List.of("CAIRN_JWT_PUBLIC_KEY", "QUARKUS_OIDC_AUTH_SERVER_URL", "CAIRN_JWT_ISSUER")) {
                assertThat(env).as(service + " " + name).containsKey(name);
                var ref = env.get(name).getValueFrom().getSecretKeyRef();
                assertThat(ref.getName()).as(service + " " + name).isEqualTo(Workloads.OIDC_SECRET);
                assertThat(ref.getOptional()).as(service + " " + name + ": one of the two ways is enough").isTrue();
            }
            assertThat(env).as(service + ": security is never switched off in the manifests")
                    .doesNotContainKey("CAIRN_SECURITY_ENABLED");
            // ...and the service's OIDC settings are these variables: nothing else names a key or an issuer.
            java.util.Properties properties = ServiceConfig.of(service).properties();
            assertThat(properties).as(service)
                    .containsEntry("quarkus.oidc.public-key", "${CAIRN_JWT_PUBLIC_KEY:}")
                    .containsEntry("quarkus.oidc.tenant-enabled", "${cairn.security.enabled}")
                    .doesNotContainKey("quarkus.oidc.auth-server-url")
                    .doesNotContainKey("mp.jwt.verify.publickey").doesNotContainKey("mp.jwt.verify.issuer");
            assertThat(properties.getProperty("quarkus.oidc.token.issuer")).startsWith("${CAIRN_JWT_ISSUER:");
            assertThat(properties.getProperty("cairn.security.enabled")).startsWith("${CAIRN_SECURITY_ENABLED:true}");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceRunsItsImageWithProbesOnItsQuarkusPortAndHealthPaths(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Map<String, PodTemplateSpec> pods = Workloads.pods(rendered);
        assertThat(pods.keySet()).containsExactlyInAnyOrderElementsOf(ServiceConfig.SERVICES);

        for (String service : ServiceConfig.SERVICES) {
            ServiceConfig config = ServiceConfig.of(service);
            Container container = pods.get(service).getSpec().getContainers().get(0);
            Map<String, String> env = Workloads.environment(rendered, container);
            int port = Integer.parseInt(env.getOrDefault(config.httpPortVariable(),
                    String.valueOf(config.httpPortDefault())));

            assertThat(container.getName()).isEqualTo(service);
            assertThat(container.getImage()).isEqualTo("cairn/" + service + ":" + Project.version());
            assertThat(config.properties()).as("the image Quarkus would build")
                    .containsEntry("quarkus.container-image.group", "cairn")
                    .containsEntry("quarkus.container-image.name", service)
                    .containsEntry("quarkus.container-image.build", "false");
            assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("http", port),
                            org.assertj.core.groups.Tuple.tuple("management", config.managementPortDefault()));
            assertThat(env).as("Quarkus must listen beyond loopback").containsEntry("HTTP_HOST", "0.0.0.0")
                    .containsEntry("MANAGEMENT_HOST", "0.0.0.0");
            assertProbe(container.getStartupProbe(), config.healthPath("started"));
            assertProbe(container.getReadinessProbe(), config.healthPath("ready"));
            assertProbe(container.getLivenessProbe(), config.healthPath("live"));
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void servicesPdbsAndMonitorsSelectExistingPodsAndPorts(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Map<String, PodTemplateSpec> pods = Workloads.pods(rendered);

        for (Service service : rendered.all(Service.class)) {
            PodTemplateSpec pod = pods.values().stream()
                    .filter(p -> p.getMetadata().getLabels().entrySet()
                            .containsAll(service.getSpec().getSelector().entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError("no pod for " + service.getMetadata().getName()));
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(pod.getSpec().getContainers().get(0).getPorts()).extracting(ContainerPort::getName)
                        .contains(port.getTargetPort().getStrVal());
            }
        }
        for (PodDisruptionBudget pdb : rendered.all(PodDisruptionBudget.class)) {
            assertThat(pods.values()).as(pdb.getMetadata().getName()).anySatisfy(p -> assertThat(
                    p.getMetadata().getLabels()).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
        }
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            Service service = rendered.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet()
                            .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError("no service for " + monitor.getMetadata()));
            for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
                assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
                // Metrics are only on the management interface: the scrape goes to its port, as the service sets it.
                assertThat(endpoint.getPort()).isEqualTo("management");
                ServicePort scraped = service.getSpec().getPorts().stream()
                        .filter(p -> p.getName().equals(endpoint.getPort())).findFirst().orElseThrow();
                PodTemplateSpec pod = pods.values().stream().filter(p -> p.getMetadata().getLabels().entrySet()
                        .containsAll(service.getSpec().getSelector().entrySet())).findFirst().orElseThrow();
                String name = pod.getSpec().getContainers().get(0).getName();
                assertThat(pod.getSpec().getContainers().get(0).getPorts())
                        .filteredOn(p -> p.getName().equals(scraped.getTargetPort().getStrVal()))
                        .extracting(ContainerPort::getContainerPort)
                        .containsExactly(ServiceConfig.of(name).managementPortDefault());
            }
        }
        assertThat(rendered.all(ServiceMonitor.class)).hasSize(ServiceConfig.SERVICES.size());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void podsReachTheBrokerAndTheirOwnDatabase(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().get(0);

        Workloads.pods(rendered).forEach((name, pod) -> {
            Map<String, String> env = Workloads.environment(rendered, pod.getSpec().getContainers().get(0));
            assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS",
                    kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort());
            assertThat(env).containsEntry("KAFKA_SECURITY_PROTOCOL", listener.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT");
            assertThat(env).containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            if (!name.equals("host-agent")) {
                // Each service logs in as its own KafkaUser: Strimzi writes the login into the user's Secret.
                assertThat(env).containsEntry("KAFKA_SASL_JAAS_CONFIG", "secret:" + name + "/sasl.jaas.config");
                assertThat(rendered.named(KafkaUser.class, name).getSpec().getAuthentication())
                        .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
                String datasource = ServiceConfig.of(name).properties().getProperty("quarkus.datasource.jdbc.url");
                assertThat(datasource).contains("${PG_DB:" + env.get("PG_DB") + "}");
                // The service's own cluster: cairn-<service without "-service">-db (PostgresWiringTest checks more).
                String cluster = "cairn-" + name.substring(0, name.indexOf('-')) + "-db";
                assertThat(env).containsEntry("PG_HOST", cluster + "-rw")
                        .containsEntry("PG_USER", "secret:" + cluster + "-app/username")
                        .containsEntry("PG_PASSWORD", "secret:" + cluster + "-app/password");
            }
        });
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
