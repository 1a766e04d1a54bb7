package io.cairn.deploy.kubernetes;

import io.cairn.events.topic.AccessRules;
import io.cairn.events.topic.AccessRules.Grant;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.ArrayList;
import java.util.List;

/**
 * A KafkaUser's ACLs in {@link AccessRules}' terms, so a manifest can be compared with what the catalogue grants. Any
 * rule AccessRules never makes (deny, a cluster or transactional-id resource, an operation other than Read or Write)
 * fails the conversion instead of being left out of the comparison.
 */
final class StrimziAcls {

    private StrimziAcls() {
    }

    /** Every grant of the user; its principal is the KafkaUser's name, as Strimzi names the SCRAM user. */
    static List<Grant> grants(KafkaUser user) {
        String principal = user.getMetadata().getName();
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            throw new AssertionError(principal + ": authorization is not 'simple'");
        }
        List<Grant> grants = new ArrayList<>();
        for (AclRule rule : simple.getAcls()) {
            if (rule.getType() != null && rule.getType() != AclRuleType.ALLOW) {
                throw new AssertionError(principal + ": a rule that is not 'allow': " + rule);
            }
            for (AclOperation operation : rule.getOperations()) {
                grants.add(grant(principal, rule, operation));
            }
        }
        return grants;
    }

    private static Grant grant(String principal, AclRule rule, AclOperation operation) {
        AccessRules.Operation op = switch (operation) {
            case READ -> AccessRules.Operation.READ;
            case WRITE -> AccessRules.Operation.WRITE;
            default -> throw new AssertionError(principal + ": operation " + operation + " is never granted");
        };
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return new Grant(principal, AccessRules.Resource.TOPIC, topic.getName(), match(topic.getPatternType()), op);
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return new Grant(principal, AccessRules.Resource.GROUP, group.getName(), match(group.getPatternType()), op);
        }
        throw new AssertionError(principal + ": resource " + rule.getResource() + " is never granted");
    }

    private static AccessRules.Match match(AclResourcePatternType type) {
        // Strimzi's default pattern type is literal.
        return type == AclResourcePatternType.PREFIX ? AccessRules.Match.PREFIXED : AccessRules.Match.LITERAL;
    }

    /** Whether a grant allows {@code operation} on the resource {@code name}. */
    static boolean allows(Grant grant, AccessRules.Resource resource, String name, AccessRules.Operation operation) {
        return grant.resource() == resource && grant.operation() == operation
                && (grant.match() == AccessRules.Match.PREFIXED ? name.startsWith(grant.name())
                        : name.equals(grant.name()));
    }
}
