package io.cairn.deploy.kubernetes;

import io.cairn.events.topic.AccessRules;
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

    private static final Pattern CHANNEL_TOPIC = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(dead-letter-queue\\.)?topic");
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

    /** quarkus.management.port's default: the port of metrics and OpenAPI, when the management interface is on. */
    int managementPortDefault() {
        if (!Boolean.parseBoolean(properties.getProperty("quarkus.management.enabled", "false"))) {
            throw new AssertionError(service + ": the management interface is off (metrics on the API port)");
        }
        return Integer.parseInt(expression("quarkus.management.port").group(2));
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
     * What one channel does to Kafka: reads (incoming) or writes (outgoing, and an incoming channel's dead-letter
     * queue) a topic, or, for a pattern subscription ({@code pattern=true}), every topic its regular expression matches.
     */
    record ChannelUse(String channel, AccessRules.Operation operation, String topic, boolean pattern) {

        /** The name every topic this channel touches starts with: the topic, or the pattern's literal beginning. */
        String namePrefix() {
            if (!pattern) {
                return topic;
            }
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < topic.length(); i++) {
                char c = topic.charAt(i);
                if (c == '\\' && i + 1 < topic.length() && !Character.isLetterOrDigit(topic.charAt(i + 1))) {
                    literal.append(topic.charAt(++i));
                } else if (c == '\\' || ".[](){}*+?^$|".indexOf(c) >= 0) {
                    break;
                } else {
                    literal.append(c);
                }
            }
            return literal.toString();
        }

        /** Whether this channel touches the topic of that name. */
        boolean touches(String name) {
            return pattern ? java.util.regex.Pattern.matches(topic, name) : topic.equals(name);
        }
    }

    /** Every channel's topic use, from the mp.messaging properties. */
    List<ChannelUse> channelUses() {
        List<ChannelUse> uses = new java.util.ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            Matcher m = CHANNEL_TOPIC.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String channel = m.group(2);
            if (m.group(3) != null) {
                uses.add(new ChannelUse(channel, AccessRules.Operation.WRITE, value, false));
            } else if (m.group(1).equals("incoming")) {
                boolean pattern = Boolean.parseBoolean(
                        properties.getProperty("mp.messaging.incoming." + channel + ".pattern", "false"));
                uses.add(new ChannelUse(channel, AccessRules.Operation.READ, value, pattern));
            } else {
                uses.add(new ChannelUse(channel, AccessRules.Operation.WRITE, value, false));
            }
        }
        uses.sort(java.util.Comparator.comparing(ChannelUse::channel).thenComparing(ChannelUse::topic));
        return uses;
    }

    private Matcher expression(String key) {
        Matcher m = EXPRESSION.matcher(properties.getProperty(key, ""));
        if (!m.matches()) {
            throw new IllegalStateException(service + ": " + key + " is not ${VARIABLE:default}");
        }
        return m;
    }
}
