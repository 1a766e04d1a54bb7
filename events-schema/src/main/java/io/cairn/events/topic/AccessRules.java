package io.cairn.events.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who may do what on Kafka, derived from the topic catalogue's producers and consumers: the least each principal
 * needs and nothing else. The local stack creates these ACLs and the Kubernetes KafkaUsers must equal them, so a
 * right granted in one place and missing in the other shows up in a test, not in production.
 *
 * <ul>
 *   <li>a service ({@code checkpoint-service}, {@code backup-service}): its topics by name, every host's agent
 *       topics by the prefix {@value AgentTopics#PREFIX} (it talks to every host), groups prefixed {@code cairn-<service>};</li>
 *   <li>a host's agent ({@code cairn-agent-<host>}): its own host's topics by exact name, its one group;</li>
 *   <li>a user: write the public command topics, read the public event topics, groups prefixed {@code <user>-}.</li>
 * </ul>
 */
public final class AccessRules {
    /** The services that run with a principal of their own (the catalogue's producer and consumer names). */
    public static final List<String> SERVICES = List.of("checkpoint-service", "backup-service");
    /** The catalogue's name for the agents and for users' applications. */
    public static final String AGENT = "host-agent";
    public static final String USERS = "users";

    /**
     * A user principal's name: its consumer groups are prefixed with it, so it must never be a prefix of a Cairn
     * group ({@code cairn-...}) nor a service's name.
     */
    public static final String USER_NAME_PATTERN = "^(?!cairn)[a-z0-9][a-z0-9.-]{0,62}$";
    private static final Pattern USER_NAME = Pattern.compile(USER_NAME_PATTERN);

    public enum Resource { TOPIC, GROUP }

    public enum Match { LITERAL, PREFIXED }

    public enum Operation { READ, WRITE }

    /** One ACL: {@code principal} may {@code operation} on the resource(s) {@code name} matches. */
    public record Grant(String principal, Resource resource, String name, Match match, Operation operation) {
    }

    private AccessRules() {
    }

    /** The principal a host's agent logs in as. */
    public static String agentPrincipal(String hostId) {
        return "cairn-agent-" + AgentTopics.requireHostId(hostId);
    }

    /** The one consumer group a host's agent uses. */
    public static String agentGroup(String hostId) {
        return agentPrincipal(hostId);
    }

    public static boolean isUserName(String name) {
        return name != null && USER_NAME.matcher(name).matches() && !SERVICES.contains(name);
    }

    /** What a service's principal (its name) may do. */
    public static List<Grant> forService(TopicCatalogue catalogue, String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("'" + service + "' is not one of " + SERVICES);
        }
        List<Grant> grants = new ArrayList<>();
        for (TopicSpec topic : catalogue.topics()) {
            if (topic.isPerHost()) {
                addIfAny(grants, service, topic, Match.PREFIXED, AgentTopics.PREFIX);
            } else {
                addIfAny(grants, service, topic, Match.LITERAL, topic.name());
            }
        }
        grants.add(new Grant(service, Resource.GROUP, "cairn-" + service, Match.PREFIXED, Operation.READ));
        return grants.stream().distinct().toList();
    }

    /** What the agent of one host may do: that host's topics only. */
    public static List<Grant> forAgent(TopicCatalogue catalogue, String hostId) {
        String principal = agentPrincipal(hostId);
        List<Grant> grants = new ArrayList<>();
        for (TopicSpec topic : catalogue.topics()) {
            if (topic.isPerHost()) {
                String name = topic.nameFor(hostId);
                if (topic.producers().contains(AGENT)) {
                    grants.add(new Grant(principal, Resource.TOPIC, name, Match.LITERAL, Operation.WRITE));
                }
                if (topic.consumers().contains(AGENT)) {
                    grants.add(new Grant(principal, Resource.TOPIC, name, Match.LITERAL, Operation.READ));
                }
            }
        }
        grants.add(new Grant(principal, Resource.GROUP, agentGroup(hostId), Match.LITERAL, Operation.READ));
        return grants;
    }

    /** What a user's application may do: send commands, read events, use groups named after it. */
    public static List<Grant> forUser(TopicCatalogue catalogue, String user) {
        if (!isUserName(user)) {
            throw new IllegalArgumentException("user name '" + user + "' must match " + USER_NAME_PATTERN
                    + " and not be a service's name (its groups are prefixed with it)");
        }
        List<Grant> grants = new ArrayList<>();
        for (TopicSpec topic : catalogue.withVisibility(Visibility.PUBLIC)) {
            if (topic.producers().contains(USERS)) {
                grants.add(new Grant(user, Resource.TOPIC, topic.name(), Match.LITERAL, Operation.WRITE));
            }
            if (topic.consumers().contains(USERS)) {
                grants.add(new Grant(user, Resource.TOPIC, topic.name(), Match.LITERAL, Operation.READ));
            }
        }
        grants.add(new Grant(user, Resource.GROUP, user + "-", Match.PREFIXED, Operation.READ));
        return grants;
    }

    private static void addIfAny(List<Grant> grants, String service, TopicSpec topic, Match match, String name) {
        if (topic.producers().contains(service)) {
            grants.add(new Grant(service, Resource.TOPIC, name, match, Operation.WRITE));
        }
        if (topic.consumers().contains(service)) {
            grants.add(new Grant(service, Resource.TOPIC, name, match, Operation.READ));
        }
    }
}
