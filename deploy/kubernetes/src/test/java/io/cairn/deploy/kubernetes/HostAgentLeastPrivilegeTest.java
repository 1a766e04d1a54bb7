package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The host agent runs only on hypervisors, as QEMU's user, with no capability and two host directories only. */
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
    void seesOnlyTheQmpDirectoryAndTheStorageRootOfTheHost(String overlay) {
        PodSpec pod = agent(overlay).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = Workloads.environment(RenderedOverlay.render(overlay), container);

        List<Volume> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        assertThat(hostPaths).extracting(v -> v.getHostPath().getPath())
                .containsExactlyInAnyOrder(env.get("CAIRN_QMP_DIR"), env.get("CAIRN_STORAGE_DIR"));
        for (Volume volume : hostPaths) {
            assertThat(volume.getHostPath().getType()).as("never created by the kubelet as root").isEqualTo("Directory");
            VolumeMount mount = container.getVolumeMounts().stream()
                    .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
            assertThat(mount.getMountPath()).isEqualTo(volume.getHostPath().getPath());
        }
        assertThat(env.get("CAIRN_AGENT_STATE_DIR")).as("job state survives a new pod")
                .startsWith(env.get("CAIRN_STORAGE_DIR") + "/");
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

    private static DaemonSet agent(String overlay) {
        return RenderedOverlay.render(overlay).named(DaemonSet.class, "host-agent");
    }
}
