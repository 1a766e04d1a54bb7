package io.cairn.backup.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * backup-service as a real process (its packaged jar, so its pid gives its CPU and memory) on private topics and a
 * database of its own, plus the host agents it drives. Closing it stops every process it started and removes the
 * topics and the database.
 */
final class ControlPlane implements AutoCloseable {
    static final int MAX_PER_HOST = 2;
    static final int MAX_IN_FLEET = 5;

    private final StackAddresses stack = LocalStack.ensureRunning();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AgentProcess> agents = new ArrayList<>();
    private BenchTopics topics;
    private BenchDatabase database;
    private ServiceProcess service;

    ControlPlane start() {
        topics = BenchTopics.create(stack.kafkaBootstrap(), runId);
        database = BenchDatabase.create(stack, runId);
        List<String> properties = new ArrayList<>(topics.serviceProperties());
        properties.add("-Dcairn.backup.max-per-host=" + MAX_PER_HOST);
        properties.add("-Dcairn.backup.max-in-fleet=" + MAX_IN_FLEET);
        service = ServiceProcess.start("backup-service", stack, database.name(), properties.toArray(String[]::new));
        return this;
    }

    /** A host agent on the private topics; {@code extraProperties} as for {@link AgentProcess#start}. */
    AgentProcess startAgent(String... extraProperties) {
        List<String> properties = new ArrayList<>(topics.agentProperties());
        properties.addAll(List.of(extraProperties));
        AgentProcess agent = AgentProcess.start(stack.kafkaBootstrap(), properties.toArray(String[]::new));
        agents.add(agent);
        return agent;
    }

    String bootstrap() {
        return stack.kafkaBootstrap();
    }

    String commandTopic() {
        return topics.backupCommands();
    }

    String runId() {
        return runId;
    }

    BenchDatabase database() {
        return database;
    }

    /** The service's pid: the one child of this JVM that runs on the service's port. */
    long servicePid() {
        String portFlag = "-Dquarkus.http.port=" + service.port();
        return ProcessHandle.current().children().filter(child -> child.info().arguments()
                .map(arguments -> List.of(arguments).contains(portFlag)).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no child process with " + portFlag))
                .pid();
    }

    /** GET /api/v1/hosts: the fleet as the service sees it from the agents' inventories. */
    JsonNode fleet() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.port() + "/api/v1/hosts")).header("Authorization", ServiceProcess.authorization())
                    .build(), HttpResponse.BodyHandlers.ofString());
            return CairnJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException("GET /api/v1/hosts", e);
        }
    }

    /** Whether the service's view of the fleet lists the domain (and, if given, a bitmap of that name on a disk). */
    boolean sees(String domain, String bitmap) {
        for (JsonNode host : fleet()) {
            for (JsonNode vm : host.path("domains")) {
                if (vm.path("name").asText().equals(domain)) {
                    if (bitmap == null) {
                        return true;
                    }
                    for (JsonNode disk : vm.path("disks")) {
                        for (JsonNode b : disk.path("bitmaps")) {
                            if (b.path("name").asText().equals(bitmap)) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return false;
    }

    String serviceLog() {
        return service == null ? "" : service.log();
    }

    @Override
    public void close() {
        agents.forEach(AgentProcess::close);
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.drop();
        }
        if (topics != null) {
            topics.delete();
        }
    }
}
