package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/** Each overlay renders, every document fits its typed model or schema, and no kind is missing. */
class OverlaysRenderTest {

    static final java.util.List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyDocumentFitsItsModel(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);

        assertThat(rendered.models()).hasSize(rendered.documents().size()
                - rendered.raw("postgresql.cnpg.io/v1/Cluster").size());
        for (String kind : TypedModels.SCHEMA_ONLY) {
            for (ObjectNode document : rendered.raw(kind)) {
                assertThat(CnpgSchema.problems(document)).as(kind).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rendersEveryKind(String overlay) {
        Set<String> kinds = new TreeSet<>();
        RenderedOverlay.render(overlay).documents().forEach(d -> kinds.add(TypedModels.typeOf(d)));

        Set<String> expected = new TreeSet<>(TypedModels.MODELS.keySet());
        expected.addAll(TypedModels.SCHEMA_ONLY);
        // Every Secret comes from an operator (Strimzi's users and CA, CloudNativePG's owners): none is written here.
        expected.remove("v1/Secret");
        assertThat(kinds).isEqualTo(expected);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everythingButTheNamespaceIsInCairnsNamespace(String overlay) {
        for (ObjectNode document : RenderedOverlay.render(overlay).documents()) {
            String expected = document.path("kind").asText().equals("Namespace") ? "" : "cairn";
            assertThat(document.path("metadata").path("namespace").asText())
                    .as(TypedModels.typeOf(document) + " " + document.path("metadata").path("name").asText())
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void namesAreUniquePerKind(String overlay) {
        Set<String> seen = new TreeSet<>();
        for (ObjectNode document : RenderedOverlay.render(overlay).documents()) {
            assertThat(seen.add(TypedModels.typeOf(document) + "/" + document.path("metadata").path("name").asText()))
                    .isTrue();
        }
    }

    @Test
    void aFieldTheModelDoesNotKnowFails() throws Exception {
        ObjectNode deployment = (ObjectNode) Kustomize.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenessProbe: {httpGet: {path: /q/health/live, port: http}, periodSecond: 5}
                """);

        assertThatThrownBy(() -> TypedModels.parse(deployment)).hasMessageContaining("periodSecond");
    }

    @Test
    void aStrimziFieldTheModelDoesNotKnowFails() throws Exception {
        ObjectNode topic = (ObjectNode) Kustomize.YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: x}
                spec: {partition: 3}
                """);

        assertThatThrownBy(() -> TypedModels.parse(topic)).hasMessageContaining("partition");
    }

    @Test
    void aClusterFieldOutsideTheSchemaFails() throws Exception {
        ObjectNode cluster = (ObjectNode) Kustomize.YAML.readTree("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: db}
                spec: {instances: 1, storage: {size: 1Gi}, instance: 3}
                """);

        assertThat(CnpgSchema.problems(cluster)).anySatisfy(p -> assertThat(p).contains("instance"));
    }
}
