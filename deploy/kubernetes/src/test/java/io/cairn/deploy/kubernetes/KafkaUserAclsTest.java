package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.topic.AccessRules;
import io.cairn.events.topic.AccessRules.Grant;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.TopicCatalogue;
import io.cairn.events.topic.TopicSpec;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service's KafkaUser grants exactly what {@link AccessRules#forService} derives from the catalogue, and exactly
 * what the service's channels use; the broker authenticates every client and authorizes by these ACLs alone.
 */
class KafkaUserAclsTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    /** A node name for checking that per-host names fall under the services' prefix grants. */
    private static final String SAMPLE_HOST = "hv-07.rack2";

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServicesAclsAreAccessRulesForService(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        TopicCatalogue catalogue = Catalogue.load();
        for (String service : AccessRules.SERVICES) {
            List<Grant> actual = StrimziAcls.grants(rendered.named(KafkaUser.class, service));

            assertThat(actual).as(service).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(AccessRules.forService(catalogue, service));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceMayUseEveryHostsAgentTopicsAsTheCatalogueSays(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        TopicCatalogue catalogue = Catalogue.load();
        for (String service : AccessRules.SERVICES) {
            List<Grant> grants = StrimziAcls.grants(rendered.named(KafkaUser.class, service));
            for (TopicSpec topic : catalogue.topics().stream().filter(TopicSpec::isPerHost).toList()) {
                String name = topic.nameFor(SAMPLE_HOST);
                if (topic.producers().contains(service)) {
                    assertThat(grants).as(service + " writes " + name).anySatisfy(g -> assertThat(
                            StrimziAcls.allows(g, AccessRules.Resource.TOPIC, name, AccessRules.Operation.WRITE)).isTrue());
                }
                if (topic.consumers().contains(service)) {
                    assertThat(grants).as(service + " reads " + name).anySatisfy(g -> assertThat(
                            StrimziAcls.allows(g, AccessRules.Resource.TOPIC, name, AccessRules.Operation.READ)).isTrue());
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyChannelIsAllowedAndEveryTopicAclIsUsedByAChannel(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : AccessRules.SERVICES) {
            List<Grant> topicGrants = StrimziAcls.grants(rendered.named(KafkaUser.class, service)).stream()
                    .filter(g -> g.resource() == AccessRules.Resource.TOPIC).toList();
            List<ServiceConfig.ChannelUse> uses = ServiceConfig.of(service).channelUses();
            assertThat(uses).as(service + " uses Kafka").isNotEmpty();

            for (ServiceConfig.ChannelUse use : uses) {
                // A pattern's topics all start with its literal beginning, so a prefix grant of that covers them all.
                assertThat(topicGrants).as(service + " " + use).anySatisfy(g -> {
                    assertThat(g.operation()).isEqualTo(use.operation());
                    if (use.pattern()) {
                        assertThat(g.match()).isEqualTo(AccessRules.Match.PREFIXED);
                        assertThat(use.namePrefix()).startsWith(g.name());
                    } else {
                        assertThat(StrimziAcls.allows(g, g.resource(), use.topic(), use.operation())).isTrue();
                    }
                });
            }
            for (Grant grant : topicGrants) {
                assertThat(uses).as(service + ": " + grant + " is used by a channel").anySatisfy(use -> {
                    assertThat(use.operation()).isEqualTo(grant.operation());
                    assertThat(grant.match() == AccessRules.Match.PREFIXED
                            ? use.namePrefix().startsWith(grant.name()) : !use.pattern() && use.topic().equals(grant.name()))
                            .isTrue();
                });
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServicesPatternsMatchEveryHostsReportsAndTheirRequestsGoUnderTheAgentPrefix(String overlay) {
        for (String service : AccessRules.SERVICES) {
            List<ServiceConfig.ChannelUse> uses = ServiceConfig.of(service).channelUses();
            assertThat(uses).as(service).anySatisfy(u -> assertThat(u.touches(AgentTopics.results(SAMPLE_HOST))).isTrue());
            assertThat(uses).as(service).anySatisfy(u -> assertThat(u.touches(AgentTopics.inventory(SAMPLE_HOST))).isTrue());
            // The gateway sends each request to its host's commands topic; the channel's default topic names none.
            assertThat(uses).as(service).anySatisfy(u -> {
                assertThat(u.operation()).isEqualTo(AccessRules.Operation.WRITE);
                assertThat(u.topic()).startsWith(AgentTopics.PREFIX);
            });
            assertThat(uses).as(service + " never reads a host's requests").noneSatisfy(u -> assertThat(
                    u.operation() == AccessRules.Operation.READ && u.touches(AgentTopics.commands(SAMPLE_HOST))).isTrue());
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyConsumerGroupIsCovered(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : AccessRules.SERVICES) {
            List<Grant> grants = StrimziAcls.grants(rendered.named(KafkaUser.class, service));
            for (String group : ServiceConfig.of(service).consumerGroupPrefixes()) {
                assertThat(grants).as(service + " group " + group).anySatisfy(g -> assertThat(
                        StrimziAcls.allows(g, AccessRules.Resource.GROUP, group, AccessRules.Operation.READ)).isTrue());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheServicesHaveKafkaUsersHereAndTheyLogInWithScram(String overlay) {
        List<KafkaUser> users = RenderedOverlay.render(overlay).all(KafkaUser.class);
        assertThat(users).extracting(u -> u.getMetadata().getName())
                .as("agents are onboarded per node, users' applications per application")
                .containsExactlyInAnyOrderElementsOf(AccessRules.SERVICES);
        for (KafkaUser user : users) {
            assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theBrokerAuthenticatesEveryClientAndAuthorizesByAcls(String overlay) {
        Kafka kafka = RenderedOverlay.render(overlay).all(Kafka.class).get(0);

        assertThat(kafka.getSpec().getKafka().getListeners()).isNotEmpty().allSatisfy((GenericKafkaListener l) -> {
            assertThat(l.getAuth()).as(l.getName()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
            assertThat(l.isTls()).as(l.getName()).isTrue();
        });
        assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
        KafkaAuthorizationSimple authorization = (KafkaAuthorizationSimple) kafka.getSpec().getKafka().getAuthorization();
        assertThat(authorization.getSuperUsers()).as("no principal bypasses the ACLs").isNullOrEmpty();
        assertThat(kafka.getSpec().getKafka().getConfig())
                .doesNotContainKey("allow.everyone.if.no.acl.found")
                .containsEntry("auto.create.topics.enable", false);
    }
}
