package io.cairn.testing.stack;

import io.cairn.events.topic.AccessRules;
import io.cairn.events.topic.AccessRules.Grant;
import io.cairn.events.topic.TopicCatalogue;
import io.cairn.events.topic.TopicSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Prepares a local broker as the Kubernetes manifests prepare a production one: the catalogue's topics (with its
 * partitions and configs), a SCRAM principal per service with exactly the {@link AccessRules} ACLs, and, when a host
 * is onboarded, that host's three topics and its agent's principal. Idempotent: run it as often as you like.
 */
public final class KafkaProvisioner {
    /** The tour's own user principal, onboarded like any user's application. */
    public static final String TOUR_USER = "tour";

    private static final Set<String> provisioned = new HashSet<>();
    private static final Set<String> onboarded = new HashSet<>();

    private KafkaProvisioner() {
    }

    /** The shared topics, the services' principals and the tour's; once per broker and JVM. */
    public static synchronized void provision(String bootstrap) {
        if (provisioned.contains(bootstrap)) {
            return;
        }
        withAdmin(bootstrap, admin -> {
            TopicCatalogue catalogue = TopicCatalogue.get();
            createMissing(admin, catalogue.topics().stream().filter(t -> !t.isPerHost())
                    .map(t -> newTopic(t, t.name())).toList());
            for (String service : AccessRules.SERVICES) {
                principal(admin, service, AccessRules.forService(catalogue, service));
            }
            principal(admin, TOUR_USER, AccessRules.forUser(catalogue, TOUR_USER));
        });
        provisioned.add(bootstrap);
    }

    /** A host's topics and its agent's principal; answers the principal's name. */
    public static synchronized String onboardHost(String bootstrap, String hostId) {
        String principal = AccessRules.agentPrincipal(hostId);
        if (onboarded.add(bootstrap + "|" + hostId)) {
            try {
                withAdmin(bootstrap, admin -> {
                    TopicCatalogue catalogue = TopicCatalogue.get();
                    createMissing(admin, catalogue.topics().stream().filter(TopicSpec::isPerHost)
                            .map(t -> newTopic(t, t.nameFor(hostId))).toList());
                    principal(admin, principal, AccessRules.forAgent(catalogue, hostId));
                });
            } catch (RuntimeException e) {
                onboarded.remove(bootstrap + "|" + hostId);
                throw e;
            }
        }
        return principal;
    }

    /** A user's application: may send commands and read events, with consumer groups prefixed by its name. */
    public static void addUser(String bootstrap, String user) {
        withAdmin(bootstrap, admin -> principal(admin, user, AccessRules.forUser(TopicCatalogue.get(), user)));
    }

    private interface AdminWork {
        void run(Admin admin) throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static void withAdmin(String bootstrap, AdminWork work) {
        Map<String, Object> config = KafkaAccess.admin(bootstrap);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            work.run(admin);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot prepare the broker " + bootstrap + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the broker", e);
        }
    }

    private static void createMissing(Admin admin, List<NewTopic> wanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The principal's SCRAM credential (its password from {@link KafkaAccess}) and its ACLs. */
    private static void principal(Admin admin, String name, List<Grant> grants)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), KafkaAccess.password(name))))
                .all().get(30, TimeUnit.SECONDS);
        awaitCredential(admin, name);
        admin.createAcls(grants.stream().map(KafkaProvisioner::binding).toList()).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until the broker serves {@code name}'s SCRAM credential: the admin call completes when the controller
     * took it, the broker applies it a moment later, and a login in between fails as "invalid credentials".
     */
    public static void awaitCredential(Admin admin, String name)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (!admin.describeUserScramCredentials(List.of(name)).all().get(10, TimeUnit.SECONDS)
                        .getOrDefault(name, new UserScramCredentialsDescription(name,
                                List.of())).credentialInfos().isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker did not take " + name + "'s credential within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    static AclBinding binding(Grant grant) {
        ResourceType type = grant.resource() == AccessRules.Resource.TOPIC ? ResourceType.TOPIC : ResourceType.GROUP;
        PatternType pattern = grant.match() == AccessRules.Match.LITERAL ? PatternType.LITERAL : PatternType.PREFIXED;
        AclOperation operation = grant.operation() == AccessRules.Operation.READ ? AclOperation.READ : AclOperation.WRITE;
        return new AclBinding(new ResourcePattern(type, grant.name(), pattern),
                new AccessControlEntry("User:" + grant.principal(), "*", operation, AclPermissionType.ALLOW));
    }

    private static NewTopic newTopic(TopicSpec spec, String name) {
        // A single local broker: replication factor 1 whatever production uses.
        return new NewTopic(name, spec.partitions(), (short) 1).configs(spec.config());
    }

    /**
     * {@code deploy/local/cairn} runs this: {@code provision BOOTSTRAP}, {@code host BOOTSTRAP HOST_ID} or
     * {@code user BOOTSTRAP NAME} (prints the client settings of the new user).
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: provision BOOTSTRAP | host BOOTSTRAP HOST_ID | user BOOTSTRAP NAME");
        }
        String bootstrap = args[1];
        switch (args[0]) {
            case "provision" -> {
                provision(bootstrap);
                System.out.println("topics and principals ready on " + bootstrap);
            }
            case "host" -> System.out.println("host " + args[2] + " onboarded as principal "
                    + onboardHost(bootstrap, args[2]));
            case "user" -> {
                addUser(bootstrap, args[2]);
                System.out.printf("bootstrap.servers=%s%nsecurity.protocol=%s%nsasl.mechanism=%s%nsasl.jaas.config=%s%n",
                        bootstrap, KafkaAccess.PROTOCOL, KafkaAccess.MECHANISM, KafkaAccess.jaas(args[2]));
            }
            default -> throw new IllegalArgumentException("unknown action '" + args[0] + "'");
        }
    }
}
