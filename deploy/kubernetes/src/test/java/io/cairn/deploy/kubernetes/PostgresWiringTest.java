package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The database roles CloudNativePG creates are the ones whose credentials the services read. */
class PostgresWiringTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rolesDatabasesAndSecretsAgree(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        JsonNode cluster = rendered.raw("postgresql.cnpg.io/v1/Cluster").get(0).path("spec");
        JsonNode initdb = cluster.path("bootstrap").path("initdb");
        Secret checkpoint = rendered.named(Secret.class, initdb.path("secret").path("name").asText());

        assertThat(checkpoint.getStringData()).containsEntry("username", initdb.path("owner").asText());
        assertThat(initdb.path("database").asText()).isEqualTo("cairn_checkpoint");
        assertThat(checkpoint.getType()).isEqualTo("kubernetes.io/basic-auth");

        JsonNode database = rendered.raw("postgresql.cnpg.io/v1/Database").get(0).path("spec");
        JsonNode role = cluster.path("managed").path("roles").get(0);
        Secret backup = rendered.named(Secret.class, role.path("passwordSecret").path("name").asText());
        assertThat(database.path("owner").asText()).isEqualTo(role.path("name").asText());
        assertThat(database.path("name").asText()).isEqualTo("cairn_backup");
        assertThat(database.path("cluster").path("name").asText())
                .isEqualTo(rendered.raw("postgresql.cnpg.io/v1/Cluster").get(0).path("metadata").path("name").asText());
        assertThat(backup.getStringData()).containsEntry("username", role.path("name").asText());
        assertThat(backup.getType()).isEqualTo("kubernetes.io/basic-auth");
    }
}
