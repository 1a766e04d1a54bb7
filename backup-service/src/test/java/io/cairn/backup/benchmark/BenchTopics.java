package io.cairn.backup.benchmark;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Private copies of the command and agent topics, so no other backup-service on the shared broker (other people's
 * test runs) takes the benchmark's commands or sends work to its agents. Events stay on cairn.backup.events (the
 * outbox names that topic itself); the benchmark matches them by its own command ids.
 */
record BenchTopics(String bootstrap, String prefix) {
    private static final int PARTITIONS = 12;

    static BenchTopics create(String bootstrap, String runId) {
        BenchTopics topics = new BenchTopics(bootstrap, "bench-" + runId);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(topics.all().stream().map(name -> new NewTopic(name, PARTITIONS, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the benchmark's topics " + topics.all(), e);
        }
        return topics;
    }

    String backupCommands() {
        return prefix + ".backup.commands";
    }

    String agentCommands() {
        return prefix + ".agent.commands";
    }

    String agentResults() {
        return prefix + ".agent.results";
    }

    String hostInventory() {
        return prefix + ".host.inventory";
    }

    List<String> all() {
        return List.of(backupCommands(), agentCommands(), agentResults(), hostInventory());
    }

    /** backup-service's channels on the private topics. */
    List<String> serviceProperties() {
        return List.of("-Dmp.messaging.incoming.backup-commands.topic=" + backupCommands(),
                "-Dmp.messaging.incoming.backup-commands.group.id=" + prefix,
                "-Dmp.messaging.outgoing.agent-requests.topic=" + agentCommands(),
                "-Dmp.messaging.incoming.agent-results.topic=" + agentResults(),
                "-Dmp.messaging.incoming.host-inventory.topic=" + hostInventory());
    }

    /** A host agent's channels on the private topics. */
    List<String> agentProperties() {
        return List.of("-Dmp.messaging.incoming.agent-commands.topic=" + agentCommands(),
                "-Dmp.messaging.outgoing.agent-results.topic=" + agentResults(),
                "-Dmp.messaging.outgoing.host-inventory.topic=" + hostInventory());
    }

    void delete() {
        try (Admin admin = admin(bootstrap)) {
            admin.deleteTopics(all()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the benchmark's topics " + all() + ": " + e);
        }
    }

    private static Admin admin(String bootstrap) {
        Properties properties = new Properties();
        properties.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        return Admin.create(properties);
    }
}
