package io.cairn.deploy.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's application.properties, read for what the manifests must agree with: its HTTP port and Kafka groups. */
record ServiceConfig(String service, Properties properties) {

    /** The Quarkus services this directory deploys. */
    static final List<String> SERVICES = List.of("checkpoint-service", "backup-service", "host-agent");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.]+):([^}]*)}");

    static ServiceConfig of(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                Project.root().resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceConfig(service, properties);
    }

    /** The environment variable that sets quarkus.http.port, e.g. CAIRN_CHECKPOINT_PORT. */
    String httpPortVariable() {
        return expression("quarkus.http.port").group(1);
    }

    /** quarkus.http.port's default. */
    int httpPortDefault() {
        return Integer.parseInt(expression("quarkus.http.port").group(2));
    }

    /** The health endpoints, under Quarkus' default non-application root unless moved. */
    String healthPath(String check) {
        String root = properties.getProperty("quarkus.http.non-application-root-path", "q");
        return "/" + root.replaceAll("^/|/$", "") + "/health/" + check;
    }

    /** Every incoming channel's consumer group, with any ${...} suffix cut off (what an ACL prefix must cover). */
    List<String> consumerGroupPrefixes() {
        return properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("mp.messaging.incoming.") && k.endsWith(".group.id"))
                .map(k -> properties.getProperty(k).replaceAll("\\$\\{.*$", ""))
                .sorted()
                .toList();
    }

    /**
     * What the service's channels do to which topic, as "Read topic" or "Write topic": incoming channels read, outgoing
     * channels and dead-letter queues write.
     */
    java.util.Set<String> channelTopicAccess() {
        java.util.Set<String> access = new java.util.TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String topic = properties.getProperty(key);
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".dead-letter-queue.topic")) {
                access.add("Write " + topic);
            } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")) {
                access.add("Read " + topic);
            } else if (key.startsWith("mp.messaging.outgoing.") && key.endsWith(".topic")) {
                access.add("Write " + topic);
            }
        }
        return access;
    }

    private Matcher expression(String key) {
        Matcher m = EXPRESSION.matcher(properties.getProperty(key, ""));
        if (!m.matches()) {
            throw new IllegalStateException(service + ": " + key + " is not ${VARIABLE:default}");
        }
        return m;
    }
}
