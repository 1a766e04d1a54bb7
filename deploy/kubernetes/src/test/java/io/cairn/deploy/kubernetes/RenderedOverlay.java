package io.cairn.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** One overlay rendered and parsed: the raw documents and their typed models, so tests can look up by kind. */
record RenderedOverlay(String name, List<ObjectNode> documents, List<Object> models) {

    /** The overlays every test runs against. */
    static final List<String> OVERLAYS = List.of("evaluation", "production");

    static RenderedOverlay render(String name) {
        List<ObjectNode> documents = Kustomize.render(Project.overlay(name));
        List<Object> models = new ArrayList<>();
        for (ObjectNode document : documents) {
            if (!TypedModels.SCHEMA_ONLY.contains(TypedModels.typeOf(document))) {
                models.add(TypedModels.parse(document));
            }
        }
        return new RenderedOverlay(name, documents, models);
    }

    <T> List<T> all(Class<T> type) {
        return models.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(this.name + ": no " + type.getSimpleName() + " " + name));
    }

    List<ObjectNode> raw(String apiVersionKind) {
        return documents.stream().filter(d -> TypedModels.typeOf(d).equals(apiVersionKind)).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
