package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.image.ContainerImage;
import io.cairn.testing.image.ImageProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.service.QuarkusProcesses;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import io.cairn.tour.Tour;
import io.cairn.tour.TourSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The images the build pushed are the ones the manifests name, and they work as the manifests run them: each image is
 * pulled from the registry, unpacked and started with its own command, as the pod's user, on a read-only root with
 * the pod's environment and hostPaths, against the real broker and database; then the guided tour backs up two
 * guest-less QEMUs through them and every restore chain must equal its disk. Runs when the build pushed images
 * ({@code -Dcairn.image.registry}, as {@code deploy/local/cairn test} does).
 */
class ImagesIT {
    private static final String OVERLAY = "production";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<AutoCloseable> running = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static String registry() {
        String registry = System.getProperty("cairn.image.registry");
        assertThat(registry).as("the registry the build pushed to (-Dcairn.image.registry)").isNotBlank();
        return registry;
    }

    @Test
    void everyImageTheManifestsNameWasPushedByTheBuild() throws Exception {
        for (String overlay : RenderedOverlay.OVERLAYS) {
            RenderedOverlay rendered = RenderedOverlay.render(overlay);
            for (String workload : ServiceConfig.SERVICES) {
                String image = PodFromManifest.of(rendered, workload).image();
                String repository = image.substring(0, image.lastIndexOf(':'));
                String tag = image.substring(image.lastIndexOf(':') + 1);
                HttpResponse<String> manifest = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://" + registry() + "/v2/" + repository + "/manifests/" + tag))
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                                + "application/vnd.docker.distribution.manifest.v2+json")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(manifest.statusCode()).as("%s: %s in %s", overlay, image, registry()).isEqualTo(200);
                assertThat(tag).isEqualTo(Project.version());
            }
        }
    }

    @Test
    void theImagesRunAsTheManifestsSayAndBackUpTheTourVms() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        RenderedOverlay rendered = RenderedOverlay.render(OVERLAY);
        PodFromManifest checkpointPod = PodFromManifest.of(rendered, "checkpoint-service");
        PodFromManifest backupPod = PodFromManifest.of(rendered, "backup-service");
        PodFromManifest agentPod = PodFromManifest.of(rendered, "host-agent");

        // The agent's hostPaths, here: one temporary directory each, owned by the user QEMU and the agent run as.
        Path base = Files.createTempDirectory(Path.of("/tmp"), "cairn-images-");
        keep(() -> deleteTree(base));
        Map<String, Path> hostDirs = new LinkedHashMap<>();
        for (String hostPath : agentPod.hostPaths()) {
            Path dir = Files.createDirectories(base.resolve(Path.of(hostPath).getFileName().toString()));
            hostDirs.put(hostPath, dir);
        }
        Path qmpDir = hostDirs.get("/run/cairn/qmp");
        Path storage = hostDirs.get("/var/lib/cairn/backups");
        String loginFile = agentPod.environment().get("CAIRN_KAFKA_JAAS_FILE");
        Path loginDir = hostDirs.get(Path.of(loginFile).getParent().toString());
        assertThat(qmpDir).as("the agent mounts the QMP socket directory").isNotNull();
        assertThat(storage).as("the agent mounts the backup storage root").isNotNull();
        assertThat(loginDir).as("the agent mounts the directory of its login file").isNotNull();
        assertThat(agentPod.readOnlyHostPaths()).containsExactly(Path.of(loginFile).getParent().toString());

        CompletableFuture<ImageProcess> checkpoints = keepWhenStarted(CompletableFuture.supplyAsync(() -> runService(
                checkpointPod, stack, "cairn_checkpoint_test")));
        CompletableFuture<ImageProcess> backups = keepWhenStarted(CompletableFuture.supplyAsync(() -> runService(
                backupPod, stack, "cairn_backup_test")));

        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String web = "image-web-" + suffix;
        String db = "image-db-" + suffix;
        Path vmDir = Files.createDirectories(base.resolve("vms"));
        // Each VM's disks in its domain's directory of the storage root: libvirt's default target names beside them are
        // then inside the only directory the agent accepts that domain's files in.
        GuestlessQemu webVm = keep(GuestlessQemu.builder(storage).domain(web).inDomainDirectory()
                .disk("vda", 64L << 20, new PatternWrite(0x11, 0, 8L << 20), new PatternWrite(0x22, 40L << 20, 4L << 20))
                .disk("vdb", 32L << 20, new PatternWrite(0x33, 1L << 20, 2L << 20)).start());
        GuestlessQemu dbVm = keep(GuestlessQemu.builder(storage).domain(db).inDomainDirectory()
                .disk("vda", 32L << 20, new PatternWrite(0x44, 0, 16L << 20)).start());
        for (GuestlessQemu vm : List.of(webVm, dbVm)) {
            Files.createSymbolicLink(qmpDir.resolve(vm.domain() + ".qmp"), vm.qmpSocket());
            Files.createDirectories(vmDir.resolve(vm.domain()));
            Files.createSymbolicLink(vmDir.resolve(vm.domain()).resolve("guest.qmp"), vm.probeSocket());
        }
        // The node's own Kafka principal, as onboarding a node makes it, and its login put on the node as the
        // operator does (deploy/kubernetes/README.md): the file the DaemonSet's CAIRN_KAFKA_JAAS_FILE names.
        String host = "image-host-" + suffix;
        Path login = Files.writeString(loginDir.resolve(Path.of(loginFile).getFileName()),
                KafkaAccess.jaas(KafkaProvisioner.onboardHost(stack.kafkaBootstrap(), host)));
        // As on a hypervisor node: QEMU's sockets and the directories beside its disks belong to QEMU's user, the
        // agent's runAsUser (QEMU itself runs as root here; the agent cannot tell).
        chownTree(base, agentPod.runAsUser());
        Files.setPosixFilePermissions(login, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));

        int agentPort = QuarkusProcesses.freePort();
        Map<String, String> agentValues = new LinkedHashMap<>(localStack(stack));
        agentValues.put("field:spec.nodeName", host);
        agentValues.put("field:status.hostIP", "127.0.0.1");
        agentValues.put("QUARKUS_HTTP_PORT", String.valueOf(agentPort));
        // Pods have a network each; here all share the host's: each process its own management port.
        agentValues.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(QuarkusProcesses.freePort()));
        agentValues.put("JAVA_TOOL_OPTIONS", agentPod.environment().get("JAVA_TOOL_OPTIONS")
                // A new host: read its (empty) request history from the start; report inventories often.
                + " -Dmp.messaging.incoming.agent-commands.auto.offset.reset=earliest"
                + " -Dcairn.messaging.inventory-interval=2s");
        ContainerImage agentImage = keep(ContainerImage.pull(registry(), agentPod.image()));
        Map<String, String> agentEnvironment = agentPod.localEnvironment(agentValues, hostDirs);
        assertThat(agentEnvironment).as("the login comes from the node's file only")
                .containsEntry("CAIRN_KAFKA_JAAS_FILE", login.toString()).doesNotContainKey("KAFKA_SASL_JAAS_CONFIG");
        ImageProcess agent = keep(ImageProcess.start(agentImage, agentPod.runAsUser(),
                new ArrayList<>(hostDirs.values()), java.util.Set.of(loginDir), agentEnvironment, agentPort,
                Duration.ofSeconds(120)));
        assertProbesAnswer(agentPod, agent);
        assertRunsAs(agent, agentPod.runAsUser());

        ImageProcess checkpointService = checkpoints.join();
        ImageProcess backupService = backups.join();
        assertProbesAnswer(checkpointPod, checkpointService);
        assertProbesAnswer(backupPod, backupService);
        assertRunsAs(checkpointService, checkpointPod.runAsUser());
        assertRunsAs(backupService, backupPod.runAsUser());

        TourSettings settings = new TourSettings(stack.kafkaBootstrap(),
                "http://127.0.0.1:" + checkpointService.port(), "http://127.0.0.1:" + backupService.port(),
                vmDir, storage, List.of(web, db), Duration.ofSeconds(120),
                LocalStack.issuer().token("cairn-tour", "operator", List.of(web, db), Duration.ofHours(2)),
                KafkaAccess.jaas(KafkaProvisioner.TOUR_USER));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = new Tour(settings, new PrintStream(captured, true, StandardCharsets.UTF_8)).run();
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(exit).as("the tour through the images; its output:%n%s%nagent log:%n%s", output, agent.log())
                .isZero();
        assertThat(output.lines().filter(l -> l.contains("IDENTICAL"))).hasSize(8);
        assertThat(output).doesNotContain("DIFFERENT").contains("8 chains, all identical");
    }

    private ImageProcess runService(PodFromManifest pod, StackAddresses stack, String database) {
        int port = QuarkusProcesses.freePort();
        Map<String, String> values = new LinkedHashMap<>(localStack(stack));
        values.put("PG_DB", database);
        // The credentials CloudNativePG would generate into <cluster>-app: here, the local database's.
        values.put(pod.environment().get("PG_USER"), stack.pgUser());
        values.put(pod.environment().get("PG_PASSWORD"), stack.pgPassword());
        String service = pod.image().substring(pod.image().indexOf('/') + 1, pod.image().lastIndexOf(':'));
        values.put("secret:" + service + "/sasl.jaas.config", KafkaAccess.jaas(service));
        // The platform's cairn-oidc Secret: the local issuer's public key, no external issuer.
        values.put("secret:cairn-oidc/public-key", LocalStack.issuer().publicKeyBase64());
        values.put("secret:cairn-oidc/auth-server-url", "");
        values.put("secret:cairn-oidc/issuer", "https://cairn.local");
        values.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        values.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(QuarkusProcesses.freePort()));
        ContainerImage image = ContainerImage.pull(registry(), pod.image());
        try {
            return ImageProcess.start(image, pod.runAsUser(), List.of(), pod.localEnvironment(values, Map.of()), port,
                    Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
    }

    private static Map<String, String> localStack(StackAddresses stack) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap(), "PG_HOST", stack.pgHost(),
                "PG_PORT", String.valueOf(stack.pgPort()));
    }

    private static void assertProbesAnswer(PodFromManifest pod, ImageProcess process) throws Exception {
        for (String path : List.of(pod.startupPath(), pod.readinessPath(), pod.livenessPath())) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + process.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s: %s", pod.image(), path, response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\": \"UP\"");
        }
    }

    /** The JVM runs as the pod's user, with no capability left. */
    private static void assertRunsAs(ImageProcess process, int uid) throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"));
        assertThat(status).anyMatch(l -> l.matches("Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid));
        assertThat(status).contains("CapEff:\t0000000000000000");
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
        assertThat(cmdline).as("the image's own command").contains("quarkus-run.jar");
    }

    private static void chownTree(Path dir, int uid) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                Files.setAttribute(path, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Stops a service started in the background even when the test fails before it waits for it. */
    private CompletableFuture<ImageProcess> keepWhenStarted(CompletableFuture<ImageProcess> starting) {
        keep(() -> {
            ImageProcess process = starting.handle((started, failure) -> started).join();
            if (process != null) {
                process.close();
                process.image().close();
            }
        });
        return starting;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }
}
