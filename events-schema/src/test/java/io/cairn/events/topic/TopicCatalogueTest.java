package io.cairn.events.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.schema.SchemaResources;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** topics.json is complete and consistent with the constants and record types the code uses. */
class TopicCatalogueTest {
    private static final Set<String> PUBLIC = Set.of(Topics.CHECKPOINT_COMMANDS, Topics.CHECKPOINT_EVENTS,
            Topics.BACKUP_COMMANDS, Topics.BACKUP_EVENTS);
    private final TopicCatalogue catalogue = TopicCatalogue.get();

    @Test
    void listsExactlyTheTopicsNamedInTopics() {
        assertThat(catalogue.topics()).extracting(TopicSpec::name).containsExactlyInAnyOrderElementsOf(topicConstants());
    }

    @Test
    void theFourIssueTopicsArePublicAndTheRestInternal() {
        assertThat(catalogue.withVisibility(Visibility.PUBLIC)).extracting(TopicSpec::name)
                .containsExactlyInAnyOrderElementsOf(PUBLIC);
        assertThat(catalogue.withVisibility(Visibility.INTERNAL)).hasSize(catalogue.topics().size() - PUBLIC.size());
    }

    @Test
    void everyTopicCanBeCreatedFromItsEntry() {
        for (TopicSpec topic : catalogue.topics()) {
            assertThat(topic.partitions()).as(topic.name()).isPositive();
            assertThat(topic.key()).as(topic.name()).isNotBlank();
            assertThat(topic.producers()).as(topic.name()).isNotEmpty();
            assertThat(topic.consumers()).as(topic.name()).isNotEmpty();
            assertThat(topic.description()).as(topic.name()).isNotBlank();
            assertThat(topic.cleanupPolicy()).as(topic.name()).isIn("delete", "compact");
            if (!topic.isCompacted()) {
                assertThat(topic.retentionMs()).as(topic.name() + " needs a retention").isPresent();
            }
        }
    }

    @Test
    void publicTopicsAreKeyedByDomain() {
        for (String name : PUBLIC) {
            assertThat(catalogue.topic(name).key()).isEqualTo("domain");
        }
    }

    @Test
    void hostInventoryIsCompactedByHost() {
        TopicSpec inventory = catalogue.topic(Topics.AGENT_INVENTORY);

        assertThat(inventory.isCompacted()).isTrue();
        assertThat(inventory.key()).isEqualTo("hostId");
    }

    @Test
    void eachHostHasItsOwnAgentTopicsAndTheServicesFindThemByPattern() {
        List<TopicSpec> perHost = catalogue.topics().stream().filter(TopicSpec::isPerHost).toList();
        assertThat(perHost).extracting(TopicSpec::name)
                .containsExactlyInAnyOrder(Topics.AGENT_COMMANDS, Topics.AGENT_RESULTS, Topics.AGENT_INVENTORY);
        assertThat(catalogue.topic(Topics.AGENT_COMMANDS).nameFor("node-7.example")).isEqualTo(
                AgentTopics.commands("node-7.example")).isEqualTo("cairn.agent.node-7.example.commands");
        assertThat(AgentTopics.results("h1")).matches(AgentTopics.RESULTS_PATTERN);
        assertThat(AgentTopics.inventory("h1")).matches(AgentTopics.INVENTORY_PATTERN)
                .doesNotMatch(AgentTopics.RESULTS_PATTERN);
        assertThat(AgentTopics.hostOfResults("cairn.agent.a.b.results")).hasValue("a.b");
        assertThat(AgentTopics.hostOfResults("cairn.agent.a.inventory")).isEmpty();
        assertThat(AgentTopics.hostOfInventory("cairn.checkpoint.events")).isEmpty();
        assertThat(AgentTopics.isHostId("../etc")).isFalse();
        assertThat(AgentTopics.isHostId("host with blanks")).isFalse();
        assertThat(AgentTopics.isHostId("x".repeat(201))).isFalse();
        assertThat(AgentTopics.inventory("x".repeat(200)).length()).isLessThanOrEqualTo(249);
    }

    @Test
    void everyCommandTypeIsCarriedByTheTopicItIsSentOn() {
        for (String type : SchemaResources.COMMAND_TYPES) {
            assertThat(catalogue.topic(Topics.commandsTopicFor(type)).types()).as(type).contains(type);
        }
        List<String> carried = catalogue.topics().stream().flatMap(t -> t.types().stream()).toList();
        assertThat(carried).containsAll(SchemaResources.COMMAND_TYPES).containsAll(SchemaResources.EVENT_TYPES);
    }

    @Test
    void rejectionsGoToTheEventsTopicOfTheCommandsFamily() {
        String checkpointEvents = Topics.eventsTopicFor(Topics.commandsTopicFor(CheckpointDeleteCommand.TYPE));
        String backupEvents = Topics.eventsTopicFor(Topics.commandsTopicFor(BackupBeginCommand.TYPE));

        assertThat(checkpointEvents).isEqualTo(Topics.CHECKPOINT_EVENTS);
        assertThat(backupEvents).isEqualTo(Topics.BACKUP_EVENTS);
        assertThat(catalogue.topic(checkpointEvents).types()).contains("command-rejected");
        assertThat(catalogue.topic(backupEvents).types()).contains("command-rejected");
    }

    @Test
    void deadLetterTopicsExistForBothCommandTopics() {
        assertThat(catalogue.find(Topics.deadLetterTopicFor(Topics.CHECKPOINT_COMMANDS))).isPresent();
        assertThat(catalogue.find(Topics.deadLetterTopicFor(Topics.BACKUP_COMMANDS))).isPresent();
    }

    @Test
    void retentionIsReadFromTheKafkaConfig() {
        assertThat(catalogue.topic(Topics.AGENT_COMMANDS).retentionMs()).hasValue(86_400_000L);
    }

    @Test
    void aTopicListedTwiceIsRefused() {
        String json = """
                {"topics":[{"name":"a","partitions":1},{"name":"a","partitions":1}]}
                """;

        assertThatThrownBy(() -> TopicCatalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("listed twice");
    }

    @Test
    void unknownTopicsFailLoudly() {
        assertThatThrownBy(() -> catalogue.topic("cairn.nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.commandsTopicFor("checkpoint.rename")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> topicConstants() {
        return Arrays.stream(Topics.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(TopicCatalogueTest::value).toList();
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
