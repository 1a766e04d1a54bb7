package io.cairn.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Patch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small kustomize, enough for this directory: {@code resources} (files and kustomization directories),
 * {@code namespace} and strategic-merge {@code patches} by path. Anything else in a kustomization fails the render,
 * so an overlay cannot silently use a feature the tests would not apply.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Kinds that live outside any namespace. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomize() {
    }

    /** Every document the kustomization in {@code dir} produces, in order. */
    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        Kustomization kustomization = readKustomization(file);
        List<ObjectNode> documents = new ArrayList<>();
        for (String resource : kustomization.getResources()) {
            Path path = dir.resolve(resource).normalize();
            documents.addAll(Files.isDirectory(path) ? render(path) : readAll(path));
        }
        for (Patch patch : kustomization.getPatches()) {
            if (patch.getPath() == null || patch.getTarget() != null || patch.getPatch() != null) {
                throw new IllegalArgumentException(file + ": only patches by path are supported");
            }
            for (ObjectNode change : readAll(dir.resolve(patch.getPath()))) {
                StrategicMerge.apply(target(documents, change, file), change);
            }
        }
        if (kustomization.getNamespace() != null) {
            for (ObjectNode document : documents) {
                if (!CLUSTER_SCOPED.contains(document.path("kind").asText())) {
                    document.withObjectProperty("metadata").put("namespace", kustomization.getNamespace());
                }
            }
        }
        return documents;
    }

    /** The non-empty YAML documents of one file. */
    static List<ObjectNode> readAll(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<ObjectNode> documents = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode object) {
                    documents.add(object);
                } else if (node != null && !node.isNull() && !node.isMissingNode()) {
                    throw new IllegalArgumentException(file + ": a document that is not a map");
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static Kustomization readKustomization(Path file) {
        ObjectNode node = readAll(file).get(0);
        for (String field : List.of("apiVersion", "kind", "namespace", "resources", "patches")) {
            node.remove(field);
        }
        if (!node.isEmpty()) {
            throw new IllegalArgumentException(file + ": unsupported fields " + node);
        }
        try {
            return YAML.readValue(file.toFile(), Kustomization.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static ObjectNode target(List<ObjectNode> documents, ObjectNode patch, Path file) {
        return documents.stream()
                .filter(d -> d.path("kind").equals(patch.path("kind"))
                        && d.path("apiVersion").equals(patch.path("apiVersion"))
                        && d.path("metadata").path("name").equals(patch.path("metadata").path("name")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + ": no resource for patch "
                        + patch.path("kind").asText() + "/" + patch.path("metadata").path("name").asText()));
    }
}
