package io.cairn.events.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.topic.AccessRules.Grant;
import io.cairn.events.topic.AccessRules.Match;
import io.cairn.events.topic.AccessRules.Operation;
import io.cairn.events.topic.AccessRules.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private final TopicCatalogue catalogue = TopicCatalogue.get();

    @Test
    void anAgentMayReadOnlyItsOwnCommandsAndWriteOnlyItsOwnReports() {
        List<Grant> grants = AccessRules.forAgent(catalogue, "node-a");

        assertThat(grants).containsExactlyInAnyOrder(
                new Grant("cairn-agent-node-a", Resource.TOPIC, "cairn.agent.node-a.commands", Match.LITERAL, Operation.READ),
                new Grant("cairn-agent-node-a", Resource.TOPIC, "cairn.agent.node-a.results", Match.LITERAL, Operation.WRITE),
                new Grant("cairn-agent-node-a", Resource.TOPIC, "cairn.agent.node-a.inventory", Match.LITERAL, Operation.WRITE),
                new Grant("cairn-agent-node-a", Resource.GROUP, "cairn-agent-node-a", Match.LITERAL, Operation.READ));
    }

    @Test
    void aServiceTalksToEveryHostAndReadsOnlyItsOwnCommands() {
        List<Grant> grants = AccessRules.forService(catalogue, "checkpoint-service");

        assertThat(grants).contains(
                new Grant("checkpoint-service", Resource.TOPIC, AgentTopics.PREFIX, Match.PREFIXED, Operation.WRITE),
                new Grant("checkpoint-service", Resource.TOPIC, AgentTopics.PREFIX, Match.PREFIXED, Operation.READ),
                new Grant("checkpoint-service", Resource.TOPIC, Topics.CHECKPOINT_COMMANDS, Match.LITERAL, Operation.READ),
                new Grant("checkpoint-service", Resource.TOPIC, Topics.CHECKPOINT_EVENTS, Match.LITERAL, Operation.WRITE),
                new Grant("checkpoint-service", Resource.GROUP, "cairn-checkpoint-service", Match.PREFIXED, Operation.READ));
        assertThat(grants).noneMatch(g -> g.name().equals(Topics.BACKUP_COMMANDS))
                .noneMatch(g -> g.name().equals(Topics.CHECKPOINT_COMMANDS) && g.operation() == Operation.WRITE);
    }

    @Test
    void backupServiceReadsTheCheckpointEventsForItsLineageViewButNeverWritesThem() {
        List<Grant> grants = AccessRules.forService(catalogue, "backup-service");

        assertThat(grants).contains(
                new Grant("backup-service", Resource.TOPIC, Topics.CHECKPOINT_EVENTS, Match.LITERAL, Operation.READ));
        assertThat(grants).noneMatch(g -> g.name().equals(Topics.CHECKPOINT_EVENTS) && g.operation() == Operation.WRITE)
                .noneMatch(g -> g.name().equals(Topics.CHECKPOINT_COMMANDS));
    }

    @Test
    void aUserSendsCommandsAndReadsEventsAndNothingInternal() {
        List<Grant> grants = AccessRules.forUser(catalogue, "team-a");

        assertThat(grants).filteredOn(g -> g.resource() == Resource.TOPIC).extracting(Grant::name, Grant::operation)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Topics.CHECKPOINT_COMMANDS, Operation.WRITE),
                        org.assertj.core.groups.Tuple.tuple(Topics.BACKUP_COMMANDS, Operation.WRITE),
                        org.assertj.core.groups.Tuple.tuple(Topics.CHECKPOINT_EVENTS, Operation.READ),
                        org.assertj.core.groups.Tuple.tuple(Topics.BACKUP_EVENTS, Operation.READ));
        assertThat(grants).contains(new Grant("team-a", Resource.GROUP, "team-a-", Match.PREFIXED, Operation.READ));
    }

    @Test
    void aUserNameThatWouldPrefixCairnsGroupsIsRefused() {
        assertThatThrownBy(() -> AccessRules.forUser(catalogue, "cairn-checkpoint"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.forUser(catalogue, "checkpoint-service"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.agentPrincipal("bad host")).isInstanceOf(IllegalArgumentException.class);
    }
}
