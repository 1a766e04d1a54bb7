package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.topic.AccessRules;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user template the README points to grants a user's application exactly what AccessRules gives a user. */
class KafkaUserExampleTest {

    @Test
    void theExampleUserHasExactlyAccessRulesForUser() {
        KafkaUser user = example();
        String name = user.getMetadata().getName();

        assertThat(AccessRules.isUserName(name)).as(name + " is a user name").isTrue();
        assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
        assertThat(StrimziAcls.grants(user)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(AccessRules.forUser(Catalogue.load(), name));
    }

    @Test
    void itBelongsToTheClusterAndNamespaceTheOverlaysRun() {
        Kafka kafka = RenderedOverlay.render("production").all(Kafka.class).get(0);
        KafkaUser user = example();

        assertThat(user.getMetadata().getNamespace()).isEqualTo(kafka.getMetadata().getNamespace());
        assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
    }

    @Test
    void theReadmesTellWhereItIs() throws Exception {
        String readme = java.nio.file.Files.readString(Project.manifests().resolve("README.md"));
        assertThat(readme).contains("examples/kafka-user.yaml");
    }

    private static KafkaUser example() {
        List<ObjectNode> documents = Kustomize.readAll(Project.manifests().resolve("examples/kafka-user.yaml"));
        assertThat(documents).hasSize(1);
        return (KafkaUser) TypedModels.parse(documents.get(0));
    }
}
