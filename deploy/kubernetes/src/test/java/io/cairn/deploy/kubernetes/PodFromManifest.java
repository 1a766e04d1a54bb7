package io.cairn.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one workload of a rendered overlay asks of its container: image, user, hostPath directories (and which it only
 * reads) and environment.
 * To run it here, the cluster's addresses become the local stack's and the hostPaths become temporary directories;
 * nothing else of the manifest changes.
 */
record PodFromManifest(String image, int runAsUser, List<String> hostPaths, Set<String> readOnlyHostPaths,
        Map<String, String> environment, String startupPath, String readinessPath, String livenessPath) {

    static PodFromManifest of(RenderedOverlay rendered, String workload) {
        PodTemplateSpec pod = Workloads.pods(rendered).get(workload);
        Container container = pod.getSpec().getContainers().get(0);
        List<Volume> hostVolumes = pod.getSpec().getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        Set<String> readOnlyMounts = container.getVolumeMounts().stream()
                .filter(m -> Boolean.TRUE.equals(m.getReadOnly())).map(VolumeMount::getName).collect(Collectors.toSet());
        return new PodFromManifest(container.getImage(), pod.getSpec().getSecurityContext().getRunAsUser().intValue(),
                hostVolumes.stream().map(v -> v.getHostPath().getPath()).toList(),
                hostVolumes.stream().filter(v -> readOnlyMounts.contains(v.getName()))
                        .map(v -> v.getHostPath().getPath()).collect(Collectors.toSet()),
                Workloads.environment(rendered, container),
                container.getStartupProbe().getHttpGet().getPath(), container.getReadinessProbe().getHttpGet().getPath(),
                container.getLivenessProbe().getHttpGet().getPath());
    }

    /**
     * The environment with the cluster's services replaced by the local ones: the local broker speaks SCRAM without
     * TLS, so the TLS settings go (the services' default protocol, SASL_PLAINTEXT, applies) and the SCRAM login stays;
     * Secrets and the downward API get local values.
     *
     * @param values  the value for each {@code secret:...}, {@code field:...} reference and any variable to replace
     * @param hostDirs where each hostPath lives here
     */
    Map<String, String> localEnvironment(Map<String, String> values, Map<String, Path> hostDirs) {
        Map<String, String> env = new LinkedHashMap<>();
        environment.forEach((key, value) -> {
            if (key.equals("KAFKA_SECURITY_PROTOCOL") || key.startsWith("KAFKA_SSL_")) {
                return;
            }
            String local = values.getOrDefault(key, values.getOrDefault(value, value));
            for (Map.Entry<String, Path> dir : hostDirs.entrySet()) {
                if (local.equals(dir.getKey()) || local.startsWith(dir.getKey() + "/")) {
                    local = dir.getValue() + local.substring(dir.getKey().length());
                }
            }
            if (local.startsWith("secret:") || local.startsWith("field:") || local.startsWith("configmap:")) {
                throw new IllegalArgumentException(key + " needs a local value for " + local);
            }
            env.put(key, local);
        });
        values.forEach((key, value) -> {
            if (!key.contains(":")) {
                env.putIfAbsent(key, value);
            }
        });
        return env;
    }
}
