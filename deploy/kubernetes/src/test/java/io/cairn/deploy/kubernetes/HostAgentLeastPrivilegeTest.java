package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The host agent runs only on hypervisors, as QEMU's user, with no capability, two writable host directories and its
 * node's Kafka login read-only.
 */
class HostAgentLeastPrivilegeTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void runsOnHypervisorsOnly(String overlay) {
        PodSpec pod = agent(overlay).getSpec().getTemplate().getSpec();

        assertThat(pod.getNodeSelector()).containsEntry("cairn.io/hypervisor", "true");
        assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("cairn.io/hypervisor"));
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void hasNoPrivilegeAndNoCapability(String overlay) {
        PodSpec pod = agent(overlay).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("QEMU's user").isPositive();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void seesOnlyTheQmpDirectoryTheStorageRootAndItsLoginDirectoryOfTheHost(String overlay) {
        PodSpec pod = agent(overlay).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = Workloads.environment(RenderedOverlay.render(overlay), container);
        String loginDir = Path.of(env.get("CAIRN_KAFKA_JAAS_FILE")).getParent().toString();

        List<Volume> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        assertThat(hostPaths).extracting(v -> v.getHostPath().getPath())
                .containsExactlyInAnyOrder(env.get("CAIRN_QMP_DIR"), env.get("CAIRN_STORAGE_DIR"), loginDir);
        for (Volume volume : hostPaths) {
            assertThat(volume.getHostPath().getType()).as("never created by the kubelet as root").isEqualTo("Directory");
            VolumeMount mount = mount(container, volume);
            assertThat(mount.getMountPath()).isEqualTo(volume.getHostPath().getPath());
            // Only the two directories QEMU shares with the agent are writable; the login is only read.
            assertThat(mount.getReadOnly()).as(volume.getName() + " read-only")
                    .isEqualTo(volume.getHostPath().getPath().equals(loginDir) ? Boolean.TRUE : null);
        }
        assertThat(env.get("CAIRN_AGENT_STATE_DIR")).as("job state survives a new pod")
                .startsWith(env.get("CAIRN_STORAGE_DIR") + "/");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void logsInToKafkaAsItsNodesOwnPrincipalFromAReadOnlyFileOfTheNode(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        PodSpec pod = agent(overlay).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = Workloads.environment(rendered, container);

        assertThat(env).as("no shared agent Secret: a DaemonSet's pods cannot each name their node's")
                .doesNotContainKey("KAFKA_SASL_JAAS_CONFIG")
                .containsEntry("CAIRN_KAFKA_JAAS_FILE", "/etc/cairn/kafka/sasl.jaas.config")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        Volume login = pod.getVolumes().stream().filter(v -> v.getHostPath() != null
                && v.getHostPath().getPath().equals("/etc/cairn/kafka")).findFirst().orElseThrow();
        assertThat(mount(container, login).getReadOnly()).isTrue();
        assertThat(rendered.all(KafkaUser.class)).extracting(u -> u.getMetadata().getName())
                .as("agents' principals are per node (nodes/render-node), none shared").noneMatch(n -> n.contains("agent"));

        // The variable is the one the agent's config source reads, and the source is registered.
        Path agent = Project.root().resolve("host-agent/src/main");
        assertThat(Files.readString(agent.resolve("java/io/cairn/agent/config/KafkaLoginFileConfigSource.java")))
                .contains("FILE_VARIABLE = \"CAIRN_KAFKA_JAAS_FILE\"")
                .contains("PROPERTY = \"kafka.sasl.jaas.config\"");
        assertThat(Files.readAllLines(agent.resolve(
                "resources/META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource")))
                .contains("io.cairn.agent.config.KafkaLoginFileConfigSource");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void takesItsHostIdFromTheNodeName(String overlay) {
        Container container = agent(overlay).getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(Workloads.environment(RenderedOverlay.render(overlay), container))
                .containsEntry("CAIRN_HOST_ID", "field:spec.nodeName");
        assertThat(ServiceConfig.of("host-agent").properties().getProperty("cairn.agent.host-id"))
                .startsWith("${CAIRN_HOST_ID:");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void letsPullExportsListenOnlyOnTheNodeAddress(String overlay) throws Exception {
        Container container = agent(overlay).getSpec().getTemplate().getSpec().getContainers().get(0);

        // QEMU's NBD server lives in the node's network namespace; the agent's @ConfigMapping reads this variable as
        // cairn.agent.nbd-bind-addresses (prefix cairn.agent, method nbdBindAddresses).
        assertThat(Workloads.environment(RenderedOverlay.render(overlay), container))
                .containsEntry("CAIRN_AGENT_NBD_BIND_ADDRESSES", "field:status.hostIP");
        String config = java.nio.file.Files.readString(Project.root()
                .resolve("host-agent/src/main/java/io/cairn/agent/config/AgentConfig.java"));
        assertThat(config).contains("@ConfigMapping(prefix = \"cairn.agent\")").contains(" nbdBindAddresses();");
    }

    private static VolumeMount mount(Container container, Volume volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume.getName() + " is not mounted"));
    }

    private static DaemonSet agent(String overlay) {
        return RenderedOverlay.render(overlay).named(DaemonSet.class, "host-agent");
    }
}
