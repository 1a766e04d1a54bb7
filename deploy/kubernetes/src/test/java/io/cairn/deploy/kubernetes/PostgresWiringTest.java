package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service has its own CloudNativePG cluster, and reads exactly the database and the generated owner credentials
 * that cluster bootstraps; no password is written in the manifests.
 */
class PostgresWiringTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;
    private static final Map<String, String> DATABASES = Map.of(
            "checkpoint-service", "cairn_checkpoint", "backup-service", "cairn_backup");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceReadsTheDatabaseAndGeneratedCredentialsOfItsOwnCluster(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Set<String> clustersUsed = new TreeSet<>();

        DATABASES.forEach((service, database) -> {
            Map<String, String> env = Workloads.environment(rendered,
                    Workloads.pods(rendered).get(service).getSpec().getContainers().get(0));
            String host = env.get("PG_HOST");
            assertThat(host).as(service).endsWith("-rw");
            String clusterName = host.substring(0, host.length() - "-rw".length());
            JsonNode initdb = cluster(rendered, clusterName).path("spec").path("bootstrap").path("initdb");

            assertThat(initdb.path("database").asText()).as(service).isEqualTo(database);
            assertThat(env).as(service).containsEntry("PG_DB", database)
                    .containsEntry("PG_USER", "secret:" + clusterName + "-app/username")
                    .containsEntry("PG_PASSWORD", "secret:" + clusterName + "-app/password");
            // No secret of our own: CloudNativePG generates <cluster>-app with a random password for the owner.
            assertThat(initdb.has("secret")).as(service).isFalse();
            assertThat(initdb.path("owner").asText()).as(service).isEqualTo(database);
            clustersUsed.add(clusterName);
        });
        assertThat(clustersUsed).as("one cluster per service").hasSize(DATABASES.size());
        assertThat(rendered.raw("postgresql.cnpg.io/v1/Cluster")).hasSize(DATABASES.size());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noManifestCarriesASecretOrAPassword(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);

        assertThat(rendered.raw("v1/Secret")).as("Secrets come from the operators").isEmpty();
        for (JsonNode document : rendered.documents()) {
            List<String> passwords = new java.util.ArrayList<>();
            collectPasswordValues(document, passwords);
            assertThat(passwords).as(TypedModels.typeOf((com.fasterxml.jackson.databind.node.ObjectNode) document)
                    + " " + document.path("metadata").path("name").asText()).isEmpty();
        }
    }

    /** Literal values under any field named like a password (a reference to a Secret is an object, not text). */
    private static void collectPasswordValues(JsonNode node, List<String> found) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().toLowerCase().contains("password") && field.getValue().isTextual()) {
                found.add(field.getKey());
            }
            if (field.getValue().isContainerNode()) {
                collectPasswordValues(field.getValue(), found);
            }
        });
        if (node.isArray()) {
            node.forEach(element -> collectPasswordValues(element, found));
        }
    }

    private static JsonNode cluster(RenderedOverlay rendered, String name) {
        return rendered.raw("postgresql.cnpg.io/v1/Cluster").stream()
                .filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(rendered + ": no CloudNativePG Cluster " + name));
    }
}
