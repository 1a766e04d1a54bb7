package io.cairn.backup.benchmark;

import io.cairn.testing.stack.KafkaAccess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A private copy of the backup command topic (readable by the backup-service principal), so no other backup-service
 * on the shared broker (other people's test runs) takes the benchmark's commands. Its agents need no private topics:
 * each benchmark host has its own. Events stay on cairn.backup.events (the outbox names that topic itself); the
 * benchmark matches them by its own command ids.
 */
record BenchTopics(String bootstrap, String prefix) {
    private static final int PARTITIONS = 12;

    static BenchTopics create(String bootstrap, String runId) {
        BenchTopics topics = new BenchTopics(bootstrap, "bench-" + runId);
        try (Admin admin = Admin.create(KafkaAccess.admin(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.backupCommands(), PARTITIONS, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
            admin.createAcls(List.of(topics.serviceMayRead())).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the benchmark's topic " + topics.backupCommands(), e);
        }
        return topics;
    }

    String backupCommands() {
        return prefix + ".backup.commands";
    }

    private AclBinding serviceMayRead() {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, backupCommands(), PatternType.LITERAL),
                new AccessControlEntry("User:backup-service", "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    /** backup-service's command channel on the private topic, in a group its principal may use. */
    List<String> serviceProperties() {
        return List.of("-Dmp.messaging.incoming.backup-commands.topic=" + backupCommands(),
                "-Dmp.messaging.incoming.backup-commands.group.id=cairn-backup-service-" + prefix);
    }

    /** A host agent's settings: none, its host's topics are its own already. */
    List<String> agentProperties() {
        return List.of();
    }

    void delete() {
        try (Admin admin = Admin.create(KafkaAccess.admin(bootstrap))) {
            admin.deleteTopics(List.of(backupCommands())).all().get(60, TimeUnit.SECONDS);
            admin.deleteAcls(List.of(serviceMayRead().toFilter())).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the benchmark's topic " + backupCommands() + ": " + e);
        }
    }
}
