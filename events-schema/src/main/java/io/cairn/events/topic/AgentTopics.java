package io.cairn.events.topic;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topics of one host's agent. Each host has its own three topics, so Kafka's ACLs alone keep one host's
 * credentials from reading another host's work or speaking for it: an agent's principal may read only its own
 * commands topic and write only its own results and inventory topics, and the services believe a report only when
 * the topic it came from names the host the report claims to be from.
 */
public final class AgentTopics {
    /** What every agent topic starts with; the services' ACLs are prefixed with it. */
    public static final String PREFIX = "cairn.agent.";
    public static final String COMMANDS_SUFFIX = ".commands";
    public static final String RESULTS_SUFFIX = ".results";
    public static final String INVENTORY_SUFFIX = ".inventory";
    /** How a catalogue entry names a per-host topic: {@code cairn.agent.{host}.commands}. */
    public static final String HOST_PLACEHOLDER = "{host}";

    /**
     * A host id that can be part of a topic name (Kafka allows letters, digits, '.', '_' and '-', 249 characters),
     * leaving room for the prefix and the longest suffix. Kubernetes node names and host names fit.
     */
    public static final String HOST_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$";
    private static final Pattern HOST_ID = Pattern.compile(HOST_ID_PATTERN);

    /** Subscription patterns (Java regular expressions) for the services, which read every host's reports. */
    public static final String RESULTS_PATTERN = Pattern.quote(PREFIX) + ".+" + Pattern.quote(RESULTS_SUFFIX);
    public static final String INVENTORY_PATTERN = Pattern.quote(PREFIX) + ".+" + Pattern.quote(INVENTORY_SUFFIX);

    private AgentTopics() {
    }

    public static boolean isHostId(String hostId) {
        return hostId != null && HOST_ID.matcher(hostId).matches();
    }

    /** The host id, or an error that says why it cannot name topics. */
    public static String requireHostId(String hostId) {
        if (!isHostId(hostId)) {
            throw new IllegalArgumentException("host id '" + hostId + "' cannot name Kafka topics: it must match "
                    + HOST_ID_PATTERN);
        }
        return hostId;
    }

    /** Where the services send a host's work. */
    public static String commands(String hostId) {
        return PREFIX + requireHostId(hostId) + COMMANDS_SUFFIX;
    }

    /** Where a host's agent answers and reports on jobs. */
    public static String results(String hostId) {
        return PREFIX + requireHostId(hostId) + RESULTS_SUFFIX;
    }

    /** Where a host's agent publishes what the host runs. */
    public static String inventory(String hostId) {
        return PREFIX + requireHostId(hostId) + INVENTORY_SUFFIX;
    }

    /** The concrete name of a catalogue entry for one host ({@code {host}} replaced). */
    public static String forHost(String template, String hostId) {
        return template.replace(HOST_PLACEHOLDER, requireHostId(hostId));
    }

    /** The host whose results topic this is; empty for any other topic. */
    public static Optional<String> hostOfResults(String topic) {
        return hostOf(topic, RESULTS_SUFFIX);
    }

    /** The host whose inventory topic this is; empty for any other topic. */
    public static Optional<String> hostOfInventory(String topic) {
        return hostOf(topic, INVENTORY_SUFFIX);
    }

    private static Optional<String> hostOf(String topic, String suffix) {
        if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(suffix)) {
            return Optional.empty();
        }
        String host = topic.substring(PREFIX.length(), topic.length() - suffix.length());
        return isHostId(host) ? Optional.of(host) : Optional.empty();
    }
}
