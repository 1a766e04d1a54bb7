package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.topic.AccessRules;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.TopicCatalogue;
import io.cairn.events.topic.TopicSpec;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Onboarding a node (nodes/render-node) makes exactly what the catalogue and AccessRules say one host needs: its
 * principal with {@link AccessRules#forAgent} and its three agent topics; names that cannot be a host id are refused.
 */
class RenderNodeTest {

    /** Dots and dashes, as in a node's FQDN: the names must survive them. */
    private static final String NODE = "hv-07.rack2";

    @TempDir
    Path dir;

    @Test
    void theNodesPrincipalHasExactlyAccessRulesForAgent() throws Exception {
        List<Object> models = render(NODE).models();

        List<KafkaUser> users = only(models, KafkaUser.class);
        assertThat(users).hasSize(1);
        KafkaUser user = users.get(0);
        assertThat(user.getMetadata().getName()).isEqualTo(AccessRules.agentPrincipal(NODE));
        assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
        assertThat(StrimziAcls.grants(user)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(AccessRules.forAgent(Catalogue.load(), NODE));
    }

    @Test
    void theNodesTopicsAreTheCataloguesPerHostTopicsForIt() throws Exception {
        TopicCatalogue catalogue = Catalogue.load();
        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec topic : catalogue.topics().stream().filter(TopicSpec::isPerHost).toList()) {
            expected.put(topic.nameFor(NODE), topic.partitions() + " " + new TreeMap<>(topic.config()));
        }

        List<KafkaTopic> topics = only(render(NODE).models(), KafkaTopic.class);
        Map<String, String> actual = new TreeMap<>();
        for (KafkaTopic topic : topics) {
            Map<String, String> config = new TreeMap<>();
            topic.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            actual.put(topic.getSpec().getTopicName(), topic.getSpec().getPartitions() + " " + config);
            assertThat(topic.getMetadata().getName()).as("named as the topic: no two nodes' names collide")
                    .isEqualTo(topic.getSpec().getTopicName());
            assertThat(topic.getSpec().getReplicas()).as("the broker's default unless asked").isNull();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual).containsKeys(AgentTopics.commands(NODE), AgentTopics.results(NODE),
                AgentTopics.inventory(NODE));
    }

    @Test
    void everythingBelongsToTheOverlaysClusterAndNamespace() throws Exception {
        RenderedOverlay overlay = RenderedOverlay.render("production");
        String cluster = overlay.all(Kafka.class).get(0).getMetadata().getName();
        String namespace = overlay.all(Kafka.class).get(0).getMetadata().getNamespace();

        Rendered rendered = render(NODE);
        assertThat(rendered.documents()).hasSize(4).allSatisfy(d -> {
            assertThat(d.path("metadata").path("namespace").asText()).isEqualTo(namespace);
            assertThat(d.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster);
            assertThat(d.path("metadata").path("annotations").path("cairn.io/node").isTextual()).isTrue();
            assertThat(d.path("metadata").path("annotations").path("cairn.io/node").asText()).isEqualTo(NODE);
        });
        assertThat(render("1234").documents()).as("a numeric node name stays a string")
                .allSatisfy(d -> assertThat(d.path("metadata").path("annotations").path("cairn.io/node").isTextual())
                        .isTrue());
    }

    @Test
    void replicasAndNamespaceAreTheOperatorsToChoose() throws Exception {
        Rendered rendered = render(NODE, "--replicas", "3", "--namespace", "kafka");

        assertThat(only(rendered.models(), KafkaTopic.class)).hasSize(3)
                .allSatisfy(t -> assertThat(t.getSpec().getReplicas()).isEqualTo(3));
        assertThat(rendered.documents()).allSatisfy(d -> assertThat(d.path("metadata").path("namespace").asText())
                .isEqualTo("kafka"));
    }

    @Test
    void theAgentOnTheNodeUsesExactlyTheseNames() {
        // The agent's topics and group are its host id's; on Kubernetes the host id is the node's name.
        Properties agent = ServiceConfig.of("host-agent").properties();
        Map<String, String> used = Map.of(
                "mp.messaging.incoming.agent-commands.topic", AgentTopics.commands(NODE),
                "mp.messaging.outgoing.agent-results.topic", AgentTopics.results(NODE),
                "mp.messaging.outgoing.host-inventory.topic", AgentTopics.inventory(NODE),
                "mp.messaging.incoming.agent-commands.group.id", AccessRules.agentGroup(NODE));
        used.forEach((key, name) -> assertThat(agent.getProperty(key).replace("${cairn.agent.host-id}", NODE))
                .as(key).isEqualTo(name));
    }

    @Test
    void theScriptChecksNodeNamesWithTheAgentsOwnPattern() throws Exception {
        assertThat(Files.readString(script())).contains("HOST_ID_PATTERN='" + AgentTopics.HOST_ID_PATTERN + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", ".leading-dot", "a/b", "a b", "x;rm", "a|b", "a&b", "\u00e9t\u00e9", "a\nb"})
    void refusesANameThatCannotBeAHostId(String node) throws Exception {
        assertThat(AgentTopics.isHostId(node)).isFalse();
        // After "--", so a leading dash is judged as a name, not taken for an option.
        Run run = run("--", node);

        assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).as("nothing for kubectl to apply").isEmpty();
        assertThat(run.stderr()).contains("cannot name Kafka topics").contains(AgentTopics.HOST_ID_PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "under_score", "trailing-", "a..b"})
    void refusesAHostIdThatCannotBeAKubernetesNodeName(String node) throws Exception {
        assertThat(AgentTopics.isHostId(node)).isTrue();
        Run run = run(node);

        assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("not a Kubernetes node name");
    }

    @Test
    void refusesATooLongNameAndBadOptions() throws Exception {
        String tooLong = "n".repeat(201);
        assertThat(AgentTopics.isHostId(tooLong)).isFalse();
        for (List<String> args : List.<List<String>>of(List.of(tooLong), List.of(""), List.of(NODE, "--replicas", "0"),
                List.of(NODE, "--replicas", "three"), List.of(NODE, "--namespace", "Not/A/Namespace"),
                List.of(NODE, "--unknown"), List.of(), List.of(NODE, "other-node"))) {
            Run run = run(args.toArray(String[]::new));
            assertThat(run.exit()).as(args + ": " + run.stderr()).isNotZero();
            assertThat(run.stdout()).as(args.toString()).isEmpty();
        }
        assertThat(run("n".repeat(200)).exit()).as("the longest host id is fine").isZero();
    }

    /** One rendering: its documents and their strictly parsed typed models. */
    private record Rendered(List<ObjectNode> documents, List<Object> models) {
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private Rendered render(String... args) throws Exception {
        Run run = run(args);
        assertThat(run.exit()).as(run.stderr()).isZero();
        Path file = Files.writeString(dir.resolve("node-" + System.nanoTime() + ".yaml"), run.stdout());
        List<ObjectNode> documents = Kustomize.readAll(file);
        return new Rendered(documents, documents.stream().map(TypedModels::parse).toList());
    }

    private Run run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = process.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    private static Path script() {
        return Project.manifests().resolve("nodes/render-node");
    }

    private static <T> List<T> only(List<Object> models, Class<T> type) {
        return models.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
