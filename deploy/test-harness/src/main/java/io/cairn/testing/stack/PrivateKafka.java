package io.cairn.testing.stack;

import io.cairn.testing.service.QuarkusProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A single-node KRaft broker of one test's own (free ports, temp log dir), from the jars deploy/local resolved, so a
 * fault test can stop and start its broker without touching the shared stack's. Each start writes its own log file.
 */
public final class PrivateKafka implements AutoCloseable {
    private static final String BROKER = "broker";
    private final Path home;
    private final Path lib;
    private final int port;
    private final int controllerPort;
    /** A listener without authentication, for measuring what authentication costs; 0 when there is none. */
    private final int openPort;
    private Process process;
    private int starts;

    private PrivateKafka(Path home, Path lib, int port, int controllerPort, int openPort) {
        this.home = home;
        this.lib = lib;
        this.port = port;
        this.controllerPort = controllerPort;
        this.openPort = openPort;
    }

    /** Formats a fresh log dir, starts the broker and creates the catalogue's topics on it. */
    public static PrivateKafka launch() {
        return launch(false);
    }

    /**
     * As {@link #launch()}, plus a loopback listener without authentication whose anonymous clients are super users:
     * only to measure, in one run, what authentication and ACLs cost against the same broker without them.
     */
    public static PrivateKafka launchWithOpenListener() {
        return launch(true);
    }

    private static PrivateKafka launch(boolean open) {
        try {
            PrivateKafka kafka = new PrivateKafka(Files.createTempDirectory("cairn-private-kafka-"), brokerJars(),
                    QuarkusProcesses.freePort(), QuarkusProcesses.freePort(), open ? QuarkusProcesses.freePort() : 0);
            kafka.writeConfig();
            StackCommand.run(kafka.java(List.of("-Xmx256m", "-Dlog4j2.configurationFile="
                    + config("tools-log4j2.properties")), "kafka.tools.StorageTool", "format", "-t",
                    Uuid.randomUuid().toString(), "-c", kafka.home.resolve("server.properties").toString(),
                    "--add-scram", scram(KafkaAccess.ADMIN), "--add-scram", scram(BROKER)),
                    kafka.home.resolve("format.log"), null);
            kafka.start();
            KafkaProvisioner.provision(kafka.bootstrap());
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker (again) on the same ports and log dir, and waits until it serves. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the private broker already runs");
        }
        Path log = home.resolve("kafka-" + (++starts) + ".log");
        try {
            process = new ProcessBuilder(java(List.of("-Xms128m", "-Xmx384m", "-XX:+UseG1GC",
                    "-Djava.awt.headless=true", "-Dcairn.kafka.log=" + log,
                    "-Dlog4j2.configurationFile=" + config("kafka-log4j2.properties")), "kafka.Kafka",
                    home.resolve("server.properties").toString())).redirectErrorStream(true)
                    .redirectOutput(home.resolve("kafka-" + starts + ".out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the private broker", e);
        }
        Process started = process;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !started.isAlive() || (contains(log, "Kafka Server started") && listening()));
        } catch (ConditionTimeoutException e) {
            // judged below
        }
        if (!started.isAlive() || !(contains(log, "Kafka Server started") && listening())) {
            String why = started.isAlive() ? "was not ready within 90 s" : "exited during start";
            QuarkusProcesses.stop(started);
            throw new IllegalStateException("the private broker " + why + ":\n" + read(log));
        }
    }

    /** A clean broker shutdown (SIGTERM), as an operator's restart; the log dir stays. */
    public synchronized void stop() {
        if (process != null) {
            QuarkusProcesses.stop(process);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The unauthenticated listener of {@link #launchWithOpenListener()}. */
    public String openBootstrap() {
        if (openPort == 0) {
            throw new IllegalStateException("this private broker has no open listener");
        }
        return "127.0.0.1:" + openPort;
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            StackCommand.deleteTree(home);
        }
    }

    /** The jars {@code deploy/local/cairn} resolved (it does so on its first {@code stack up}). */
    private static Path brokerJars() {
        Path root = ProjectRoot.find();
        Path lib = LocalStack.stateDir(root).resolve("kafka").resolve("lib-" + kafkaVersion(root));
        if (!Files.isRegularFile(lib.resolve(".complete"))) {
            LocalStack.ensureRunning();
        }
        if (!Files.isRegularFile(lib.resolve(".complete"))) {
            throw new IllegalStateException("no Kafka broker jars in " + lib
                    + ": run deploy/local/cairn stack up once");
        }
        return lib;
    }

    private static String kafkaVersion(Path root) {
        try {
            Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                    .matcher(Files.readString(root.resolve("pom.xml")));
            if (!version.find()) {
                throw new IllegalStateException("the root pom names no kafka.version");
            }
            return version.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(String name) {
        return ProjectRoot.find().resolve("deploy/local/config").resolve(name).toString();
    }

    private List<String> java(List<String> options, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", lib + "/*", mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String scram(String principal) {
        return "SCRAM-SHA-512=[name=" + principal + ",password=" + KafkaAccess.password(principal) + "]";
    }

    /**
     * The same single-node KRaft settings as deploy/local/lib/kafka.sh (SCRAM, ACLs, no auto-created topics), on this
     * instance's ports and dir, with the local stack's passwords.
     */
    private void writeConfig() throws IOException {
        String controller = KafkaAccess.password("controller");
        String open = openPort == 0 ? "" : ",OPEN://127.0.0.1:" + openPort;
        Files.writeString(home.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + open,
                "advertised.listeners=CLIENT://127.0.0.1:" + port + open,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=CLIENT",
                "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT"
                        + (openPort == 0 ? "" : ",OPEN:PLAINTEXT"),
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.client.scram-sha-512.sasl.jaas.config=" + KafkaAccess.jaas(BROKER),
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"controller\" password=\"" + controller + "\" user_controller=\""
                        + controller + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:admin;User:broker;User:controller" + (openPort == 0 ? "" : ";User:ANONYMOUS"),
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + home.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""));
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean contains(Path file, String text) {
        return Files.isRegularFile(file) && read(file).contains(text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
