package io.cairn.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The pods an overlay runs and what they can see: keys of Secrets and ConfigMaps, their environment as set. */
final class Workloads {

    /** What CloudNativePG writes into {@code <cluster>-app} for the database owner it creates at bootstrap. */
    static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "password", "dbname", "host", "port", "uri",
            "jdbc-uri", "pgpass");

    private Workloads() {
    }

    /** Pod templates by workload name (Deployments and DaemonSets). */
    static Map<String, PodTemplateSpec> pods(RenderedOverlay rendered) {
        Map<String, PodTemplateSpec> pods = new TreeMap<>();
        rendered.all(Deployment.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        rendered.all(DaemonSet.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        return pods;
    }

    /**
     * Secret name to its keys: the Secrets in the manifests and those the operators write (Strimzi: one per KafkaUser
     * with password and sasl.jaas.config, the cluster CA certificate of each Kafka; CloudNativePG: the bootstrap
     * owner's credentials of each Cluster, {@code <cluster>-app}).
     */
    /** The Secret that tells the services how to verify REST bearer tokens. */
    static final String OIDC_SECRET = "cairn-oidc";
    static final Set<String> OIDC_SECRET_KEYS = Set.of("public-key", "auth-server-url", "issuer");

    static Map<String, Set<String>> secretKeys(RenderedOverlay rendered) {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (Secret secret : rendered.all(Secret.class)) {
            Set<String> names = new java.util.TreeSet<>();
            if (secret.getData() != null) {
                names.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
                names.addAll(secret.getStringData().keySet());
            }
            keys.put(secret.getMetadata().getName(), names);
        }
        for (KafkaUser user : rendered.all(KafkaUser.class)) {
            keys.put(user.getMetadata().getName(), Set.of("password", "sasl.jaas.config"));
        }
        for (Kafka kafka : rendered.all(Kafka.class)) {
            keys.put(kafka.getMetadata().getName() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        // The platform team's Secret for REST tokens (deploy/kubernetes/README.md): not rendered here, referenced
        // only optionally, since either of its two ways to verify a token is enough.
        keys.put(OIDC_SECRET, OIDC_SECRET_KEYS);
        for (var cluster : rendered.raw("postgresql.cnpg.io/v1/Cluster")) {
            keys.put(cluster.path("metadata").path("name").asText() + "-app", CNPG_APP_SECRET_KEYS);
        }
        return keys;
    }

    static Map<String, Set<String>> configMapKeys(RenderedOverlay rendered) {
        Map<String, Set<String>> keys = new TreeMap<>();
        rendered.all(ConfigMap.class).forEach(c -> keys.put(c.getMetadata().getName(), c.getData().keySet()));
        return keys;
    }

    /**
     * A container's environment as Kubernetes builds it: envFrom ConfigMaps first, then env. A value from a Secret or
     * the downward API reads as {@code secret:name/key} or {@code field:path}.
     */
    static Map<String, String> environment(RenderedOverlay rendered, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            env.putAll(rendered.named(ConfigMap.class, from.getConfigMapRef().getName()).getData());
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                env.put(var.getName(), "secret:" + var.getValueFrom().getSecretKeyRef().getName() + "/"
                        + var.getValueFrom().getSecretKeyRef().getKey());
            } else if (var.getValueFrom().getFieldRef() != null) {
                env.put(var.getName(), "field:" + var.getValueFrom().getFieldRef().getFieldPath());
            } else {
                env.put(var.getName(), "configmap:" + var.getValueFrom().getConfigMapKeyRef().getName() + "/"
                        + var.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }
        return env;
    }
}
