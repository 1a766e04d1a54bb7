package io.cairn.testing.stack;

import io.cairn.events.topic.TopicCatalogue;
import io.cairn.events.topic.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates every catalogue topic that is missing on a local broker, with the catalogue's partitions and configs, so
 * local runs and tests see the same topics the Kubernetes manifests declare (no auto-created 1-partition topics).
 */
public final class TopicProvisioner {
    private static final Set<String> provisioned = new java.util.HashSet<>();

    private TopicProvisioner() {
    }

    public static synchronized void provision(String bootstrap) {
        if (!provisioned.add(bootstrap)) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = TopicCatalogue.get().topics().stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(TopicProvisioner::newTopic)
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            provisioned.remove(bootstrap);
            throw new IllegalStateException("cannot create Cairn's topics on " + bootstrap + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static NewTopic newTopic(TopicSpec spec) {
        // A single local broker: replication factor 1 whatever production uses.
        return new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.config());
    }

    /** {@code deploy/local/cairn topics} runs this. */
    public static void main(String[] args) {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:19092";
        provision(bootstrap);
        System.out.println("topics ready on " + bootstrap + ": " + TopicCatalogue.get().topics().size());
    }
}
