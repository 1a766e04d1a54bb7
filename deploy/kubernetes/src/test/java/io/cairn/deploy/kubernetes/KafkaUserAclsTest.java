package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each service's KafkaUser may read exactly the topics the catalogue says it consumes and write those it produces. */
class KafkaUserAclsTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void topicAclsAreTheCataloguesProducersAndConsumers(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : ServiceConfig.SERVICES) {
            Set<String> expected = new TreeSet<>();
            for (TopicCatalogue.Topic topic : TopicCatalogue.load().topics()) {
                if (topic.consumers().contains(service)) {
                    expected.add("Read " + topic.name());
                }
                if (topic.producers().contains(service)) {
                    expected.add("Write " + topic.name());
                }
            }
            Set<String> actual = new TreeSet<>();
            for (AclRule rule : acls(rendered.named(KafkaUser.class, service))) {
                if (rule.getResource() instanceof AclRuleTopicResource topic) {
                    assertThat(topic.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
                    rule.getOperations().forEach(op -> actual.add(op.toValue() + " " + topic.getName()));
                }
            }
            assertThat(actual).as(service).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void topicAclsAreWhatTheServicesChannelsUse(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : ServiceConfig.SERVICES) {
            Set<String> actual = new TreeSet<>();
            for (AclRule rule : acls(rendered.named(KafkaUser.class, service))) {
                if (rule.getResource() instanceof AclRuleTopicResource topic) {
                    rule.getOperations().forEach(op -> actual.add(op.toValue() + " " + topic.getName()));
                }
            }
            assertThat(actual).as(service + ": ACLs vs application.properties")
                    .isEqualTo(ServiceConfig.of(service).channelTopicAccess());
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyConsumerGroupIsCoveredAndNothingElse(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String service : ServiceConfig.SERVICES) {
            List<AclRule> rules = acls(rendered.named(KafkaUser.class, service));
            List<AclRuleGroupResource> groups = rules.stream().map(AclRule::getResource)
                    .filter(AclRuleGroupResource.class::isInstance).map(AclRuleGroupResource.class::cast).toList();
            assertThat(rules).allSatisfy(r -> assertThat(r.getResource())
                    .isInstanceOfAny(AclRuleTopicResource.class, AclRuleGroupResource.class));

            for (String group : ServiceConfig.of(service).consumerGroupPrefixes()) {
                assertThat(groups).as(service + " group " + group).anySatisfy(acl -> assertThat(
                        acl.getPatternType() == AclResourcePatternType.PREFIX
                                ? group.startsWith(acl.getName()) : group.equals(acl.getName())).isTrue());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void usersAuthenticateWithScram(String overlay) {
        for (KafkaUser user : RenderedOverlay.render(overlay).all(KafkaUser.class)) {
            assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
        }
        assertThat(RenderedOverlay.render(overlay).all(KafkaUser.class)).extracting(u -> u.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(ServiceConfig.SERVICES);
    }

    private static List<AclRule> acls(KafkaUser user) {
        return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
    }
}
