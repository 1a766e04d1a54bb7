package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The renderer's merge behaves as kustomize's for what the overlays use. */
class StrategicMergeTest {

    @Test
    void mapsMergeNamedListsMergeByNameOtherListsAreReplaced() throws Exception {
        ObjectNode target = yaml("""
                spec:
                  replicas: 2
                  containers:
                    - {name: a, image: a:1, resources: {requests: {cpu: 100m, memory: 256Mi}}}
                    - {name: b, image: b:1}
                  args: [x, y]
                """);
        StrategicMerge.apply(target, yaml("""
                spec:
                  replicas: 1
                  containers:
                    - {name: a, resources: {requests: {cpu: 250m}}}
                  args: [z]
                """));

        assertThat(target).isEqualTo(yaml("""
                spec:
                  replicas: 1
                  containers:
                    - {name: a, image: a:1, resources: {requests: {cpu: 250m, memory: 256Mi}}}
                    - {name: b, image: b:1}
                  args: [z]
                """));
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Kustomize.YAML.readTree(text);
    }
}
