package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.rest.CairnApi;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged {@code cairn} CLI run as a process against the real system: both packaged services, a host-agent
 * process and a guest-less QEMU whose disk lives in its domain directory, tokens of the local issuer. Each verb's
 * success with its output, and its errors with libvirt's name and the exit code. The tests build on each other
 * (checkpoints, then backups from them), in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static final long MIB = 1L << 20;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final String domain = "cli-vm-" + UUID.randomUUID().toString().substring(0, 6);
    private AgentProcess agent;
    private GuestlessQemu vm;
    private CliRunner cli;
    private String operator;
    private String viewer;
    private String admin;
    private Path home;
    private String backupUrl;

    @BeforeAll
    void startTheSystem() throws IOException {
        StackAddresses stack = LocalStack.ensureRunning();
        CompletableFuture<ServiceProcess> checkpoints = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("checkpoint-service", stack, "cairn_checkpoint_test"));
        // backup-service answers its writes with 202 at once: domjobabort then follows its outcome as after a slow
        // agent, at GET /api/v1/commands/{id}?wait= (answered when the job's backup-completed is recorded).
        CompletableFuture<ServiceProcess> backups = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("backup-service", stack, "cairn_backup_test",
                        "-Dcairn.rest.write-answer-bound=1ms"));
        // Throttled so that a full backup of the 32 MiB disk runs for a few seconds: long enough to watch and abort.
        agent = keep(AgentProcess.start(stack.kafkaBootstrap(), "-Dcairn.agent.job-speed=" + 4 * MIB));
        vm = keep(GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory()
                .disk("vda", 32 * MIB, new PatternWrite(0x5a, 0, 8 * MIB)).start());
        agent.adopt(domain, vm.qmpSocket());
        ServiceProcess checkpointService = keep(checkpoints.join());
        ServiceProcess backupService = keep(backups.join());
        backupUrl = "http://127.0.0.1:" + backupService.port();
        home = Files.createTempDirectory("cairn-cli-home-");
        keep(() -> deleteTree(home));
        cli = new CliRunner(Map.of("CAIRN_CHECKPOINT_URL", "http://127.0.0.1:" + checkpointService.port(),
                "CAIRN_BACKUP_URL", "http://127.0.0.1:" + backupService.port()), home);
        Duration ttl = Duration.ofHours(1);
        operator = LocalStack.issuer().token("cli-operator", "operator", List.of(domain), ttl);
        viewer = LocalStack.issuer().token("cli-viewer", "viewer", List.of(domain), ttl);
        admin = LocalStack.issuer().token("cli-admin", "admin", List.of("*"), ttl);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    @Order(1)
    void hostsListsTheAgentsHostWithTheDomain() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            CliRunner.Result hosts = cli.run(operator, "hosts");
            assertThat(hosts.exit()).as("%s", hosts).isZero();
            assertThat(hosts.out()).contains("Host", "Domain").containsPattern(agent.hostId() + "\\s+" + domain
                    + "\\s+\\S+\\s+vda");
        });
        JsonNode json = json(ok(cli.run(viewer, "hosts", "--json")));
        assertThat(json.findValuesAsText("hostId")).contains(agent.hostId());
    }

    @Test
    @Order(2)
    void checkpointCreateFromNameOrXmlAndListAsTableTreeAndJson() throws IOException {
        assertThat(ok(cli.run(operator, "checkpoint-create", domain, "--name", "c1", "--description", "first")))
                .isEqualTo("Domain checkpoint c1 created\n");
        Path xml = Files.writeString(home.resolve("c2.xml"),
                "<domaincheckpoint><name>c2</name><description>second</description></domaincheckpoint>");
        assertThat(ok(cli.run(operator, "checkpoint-create", domain, "--xmlfile", xml.toString())))
                .isEqualTo("Domain checkpoint c2 created\n");

        String table = ok(cli.run(viewer, "checkpoint-list", domain, "--parent"));
        assertThat(table.lines().toList().get(0)).contains("Name", "Creation Time", "Parent");
        assertThat(table).containsPattern(" c1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+\\s+-")
                .containsPattern(" c2\\s+.*\\s+c1\n");
        assertThat(ok(cli.run(viewer, "checkpoint-list", domain, "--tree")))
                .isEqualTo("c1\n  |\n  +- c2\n\n");
        assertThat(names(ok(cli.run(viewer, "checkpoint-list", domain, "--roots", "--json")))).containsExactly("c1");
        assertThat(names(ok(cli.run(viewer, "checkpoint-list", domain, "--leaves", "--json")))).containsExactly("c2");
    }

    @Test
    @Order(3)
    void checkpointDumpxmlAndParent() {
        assertThat(ok(cli.run(viewer, "checkpoint-dumpxml", domain, "c2", "--no-domain")))
                .contains("<domaincheckpoint>", "<name>c2</name>", "<description>second</description>",
                        "<name>c1</name>").doesNotContain("<domain ");
        assertThat(ok(cli.run(viewer, "checkpoint-parent", domain, "c2"))).isEqualTo("c1\n");

        CliRunner.Result root = cli.run(viewer, "checkpoint-parent", domain, "c1");
        assertThat(root.exit()).as("%s", root).isEqualTo(1);
        assertThat(root.err()).startsWith("error: VIR_ERR_NO_DOMAIN_CHECKPOINT (103): ");
    }

    @Test
    @Order(4)
    void backupBeginPushFullThenIncrementalWaitWithProgressAndLeaveTheirTargets() throws IOException {
        Set<Path> before = files();
        CliRunner.Result full = cli.run(operator, "backup-begin", domain, "--checkpoint", "b1");
        assertThat(full.exit()).as("%s", full).isZero();
        assertThat(full.out()).startsWith("Backup started: job ").endsWith("Backup completed\n");
        assertThat(full.err()).contains("100%", "32.000 MiB / 32.000 MiB", "/s", "COMPLETED");
        Set<Path> afterFull = files();
        assertThat(difference(afterFull, before)).singleElement()
                .satisfies(target -> assertThat(Files.size(target)).isPositive());

        CliRunner.Result incremental = cli.run(operator, "backup-begin", domain, "--push", "--incremental", "b1",
                "--checkpoint", "b2");
        assertThat(incremental.exit()).as("%s", incremental).isZero();
        assertThat(incremental.out()).endsWith("Backup completed\n");
        assertThat(difference(files(), afterFull)).hasSize(1);
        assertThat(ok(cli.run(viewer, "checkpoint-list", domain, "--tree")))
                .isEqualTo("c1\n  |\n  +- c2\n      |\n      +- b1\n          |\n          +- b2\n\n");
    }

    @Test
    @Order(5)
    void backupListAndDomjobinfoShowTheJobs() {
        String list = ok(cli.run(viewer, "backup-list", domain));
        assertThat(list.lines().filter(line -> line.contains("COMPLETED") && line.contains("push"))).hasSize(2);
        JsonNode jobs = json(ok(cli.run(viewer, "backup-list", domain, "--json")));
        String newest = jobs.get(0).path("jobId").asText();

        String info = ok(cli.run(viewer, "domjobinfo", domain));
        assertThat(info).containsPattern("Job type:\\s+Completed").containsPattern("Job ID:\\s+" + newest)
                .containsPattern("Mode:\\s+push").containsPattern("Disk vda:\\s+COMPLETE");
        assertThat(ok(cli.run(viewer, "domjobinfo", "--job", newest))).isEqualTo(info);
    }

    @Test
    @Order(5)
    void restoreWritesTheDiskAtACheckpointAsACopyOrThinWithProgressAndRefusesWhatCannotBe() {
        Path directory = vm.disk("vda").image().getParent();
        Path copy = directory.resolve("vda-b1-restored.qcow2");
        CliRunner.Result restored = cli.run(operator, "restore", domain, "b1", "--disk", "vda=" + copy);
        assertThat(restored.exit()).as("%s", restored).isZero();
        assertThat(restored.out()).startsWith("Restored " + domain + " at b1 on host " + agent.hostId())
                .contains("vda: " + copy + " (qcow2, ", "from 1 artifact(s)");
        assertThat(restored.err()).contains("100%", "COMPLETED");
        Path atB1 = vm.file("want-b1.qcow2");
        QemuImg.createQcow2(atB1, 32 * MIB, vm.logFile());
        QemuImg.writePatterns(atB1, List.of(new PatternWrite(0x5a, 0, 8 * MIB)), vm.logFile());
        assertThat(QemuImg.identical(copy, atB1, vm.logFile())).as("restored b1 equals the disk at b1").isTrue();

        JsonNode thin = json(ok(cli.run(operator, "restore", domain, "b2", "--thin", "--json")));
        assertThat(thin.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(thin.path("restored").get(0).path("chain")).hasSize(2);
        Path thinImage = Path.of(thin.path("restored").get(0).path("path").asText());
        assertThat(QemuImg.identical(thinImage, atB1, vm.logFile())).as("thin b2").isTrue();

        CliRunner.Result again = cli.run(operator, "restore", domain, "b1", "--disk", "vda=" + copy);
        assertThat(again.exit()).as("%s", again).isEqualTo(1);
        assertThat(again.err()).contains("error: VIR_ERR_INVALID_ARG (8): ", "exists");
        CliRunner.Result unknown = cli.run(operator, "restore", domain, "c1");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: VIR_ERR_NO_DOMAIN_CHECKPOINT (103): ");
        CliRunner.Result live = cli.run(operator, "restore", domain, "b1", "--disk", "vda=" + vm.disk("vda").image());
        assertThat(live.exit()).as("%s", live).isEqualTo(1);
        assertThat(live.err()).startsWith("error: VIR_ERR_OPERATION_INVALID (55): ").contains("live disk");
        CliRunner.Result asViewer = cli.run(viewer, "restore", domain, "b1");
        assertThat(asViewer.exit()).as("%s", asViewer).isEqualTo(1);
        assertThat(asViewer.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");
        CliRunner.Result usage = cli.run(operator, "restore", domain, "b1", "--thin", "--format", "raw");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(2);

        String verified = ok(cli.run(operator, "verify", domain));
        assertThat(verified.lines().toList().get(0)).contains("Disk", "Artifact", "Verdict");
        assertThat(verified.lines().filter(line -> line.contains("vda") && line.endsWith("intact"))).hasSize(2);
        JsonNode point = json(ok(cli.run(operator, "verify", domain, "b2", "--json")));
        assertThat(point.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(point.path("verdicts")).hasSize(2).allSatisfy(v -> assertThat(v.path("intact").asBoolean()).isTrue());
        CliRunner.Result noPoint = cli.run(operator, "verify", domain, "c1");
        assertThat(noPoint.exit()).as("%s", noPoint).isEqualTo(1);
        assertThat(noPoint.err()).startsWith("error: VIR_ERR_NO_DOMAIN_CHECKPOINT (103): ");
    }

    @Test
    @Order(5)
    void restoreExportServesTheDiskAtACheckpointUntilRestoreEnd() throws Exception {
        Path key = home.resolve("export-b2.psk");
        CliRunner.Result exported = cli.run(operator, "restore", domain, "b2", "--export", "--ttl", "2h",
                "--psk-file", key.toString());
        assertThat(exported.exit()).as("%s", exported).isZero();
        List<String> lines = exported.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Restore ").contains(" of " + domain + " at b2 exported read-only on host "
                + agent.hostId() + " until ");
        assertThat(lines.get(1)).startsWith("  vda: export 'vda' nbds+unix://cairn@/vda?socket=")
                .endsWith("&tls-psk-file=" + key);
        assertThat(lines.get(2)).isEqualTo("  key: identity cairn, in " + key);
        String restoreId = lines.get(0).split(" ")[1];
        assertThat(lines.get(3)).isEqualTo("End it with: cairn restore-end " + restoreId);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).matches("cairn:[0-9a-f]{64}\n");

        String uri = lines.get(1).substring(lines.get(1).indexOf("nbds+unix://"));
        Path copy = home.resolve("export-b2.raw");
        Process nbdcopy = new ProcessBuilder("nbdcopy", uri, copy.toString()).redirectErrorStream(true).start();
        String output = new String(nbdcopy.getInputStream().readAllBytes());
        assertThat(nbdcopy.waitFor()).as(output).isZero();
        Path atB2 = vm.file("want-export-b2.qcow2");
        QemuImg.createQcow2(atB2, 32 * MIB, vm.logFile());
        QemuImg.writePatterns(atB2, List.of(new PatternWrite(0x5a, 0, 8 * MIB)), vm.logFile());
        Process compare = new ProcessBuilder("qemu-img", "compare", "-f", "raw", "-F", "qcow2", copy.toString(),
                atB2.toString()).redirectErrorStream(true).start();
        String compared = new String(compare.getInputStream().readAllBytes());
        assertThat(compare.waitFor()).as("the export of b2 equals the disk at b2: %s", compared).isZero();

        CliRunner.Result asViewer = cli.run(viewer, "restore-end", restoreId);
        assertThat(asViewer.exit()).as("%s", asViewer).isEqualTo(1);
        assertThat(asViewer.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");
        assertThat(ok(cli.run(operator, "restore-end", restoreId))).isEqualTo("Restore " + restoreId
                + " ended: success true\n");
        CliRunner.Result again = cli.run(operator, "restore-end", restoreId);
        assertThat(again.exit()).as("%s", again).isEqualTo(1);
        assertThat(again.err()).startsWith("error: VIR_ERR_OPERATION_INVALID (55): ").contains("has ended");
        CliRunner.Result noTtlWithoutExport = cli.run(operator, "restore", domain, "b2", "--ttl", "8h");
        assertThat(noTtlWithoutExport.exit()).as("%s", noTtlWithoutExport).isEqualTo(2);
        CliRunner.Result exportIsNotThin = cli.run(operator, "restore", domain, "b2", "--export", "--thin");
        assertThat(exportIsNotThin.exit()).as("%s", exportIsNotThin).isEqualTo(2);
        CliRunner.Result tooLong = cli.run(operator, "restore", domain, "b2", "--export", "--ttl", "30d");
        assertThat(tooLong.exit()).as("%s", tooLong).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("error: VIR_ERR_INVALID_ARG (8): ").contains("ttl");
    }

    @Test
    @Order(5)
    void restorePointsShowEachCheckpointsChainFromTheCatalog() {
        JsonNode points = json(ok(cli.run(viewer, "restore-points", domain, "--json")));
        assertThat(points).extracting(p -> p.path("checkpoint").asText()).containsExactly("b2", "b1");
        JsonNode b2 = points.get(0).path("disks").get(0);
        assertThat(b2.path("complete").asBoolean()).isTrue();
        assertThat(b2.path("chain")).extracting(a -> a.path("checkpoint").asText()).containsExactly("b1", "b2");
        assertThat(b2.path("chain")).allSatisfy(a -> assertThat(a.path("sha256").asText()).hasSize(64));

        String table = ok(cli.run(viewer, "restore-points", domain));
        assertThat(table.lines().toList().get(0)).contains("Checkpoint", "Disk", "Restorable", "Chain (full first)");
        assertThat(table).containsPattern("b2\\s+.*vda\\s+yes\\s+\\S+ <- \\S+")
                .containsPattern("b1\\s+.*vda\\s+yes\\s+\\S+\\s");
        assertThat(json(ok(cli.run(viewer, "restore-points", domain, "b1", "--json"))).path("checkpoint").asText())
                .isEqualTo("b1");

        CliRunner.Result none = cli.run(viewer, "restore-points", domain, "c1");
        assertThat(none.exit()).as("%s", none).isEqualTo(1);
        assertThat(none.err()).startsWith("error: VIR_ERR_NO_DOMAIN_CHECKPOINT (103): ");
    }

    @Test
    @Order(6)
    void retentionSetShowsTheDryRunPruneMergesAndDeletesAndTheKeptPointStillRestores() {
        assertThat(ok(cli.run(viewer, "retention", domain))).contains("has no retention policy");
        CliRunner.Result usage = cli.run(operator, "retention-set", domain, "--full-every", "3");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(2);
        CliRunner.Result asViewer = cli.run(viewer, "retention-set", domain, "--keep-last", "1");
        assertThat(asViewer.exit()).as("%s", asViewer).isEqualTo(1);
        assertThat(asViewer.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");

        String set = ok(cli.run(operator, "retention-set", domain, "--keep-last", "1", "--full-every", "5",
                "--max-chain-size", "1G"));
        assertThat(set).startsWith("Policy: keep the last 1, a full every 5 incrementals, a full once a chain passes "
                + "1.000 GiB").contains("Would merge into", "Would delete", "Next push backup");
        assertThat(set).containsPattern("b2\\s+\\S+\\s+keep-last");

        String pruned = ok(cli.run(operator, "prune", domain));
        assertThat(pruned).contains("1 artifact(s) deleted, 1 merged").contains("b1");
        JsonNode points = json(ok(cli.run(viewer, "restore-points", domain, "--json")));
        assertThat(points).extracting(p -> p.path("checkpoint").asText()).containsExactly("b2");
        assertThat(points.get(0).path("disks").get(0).path("chain")).hasSize(1);

        Path copy = vm.disk("vda").image().getParent().resolve("vda-b2-after-prune.qcow2");
        assertThat(cli.run(operator, "restore", domain, "b2", "--disk", "vda=" + copy).exit()).isZero();
        Path atB2 = vm.file("want-b2-after-prune.qcow2");
        QemuImg.createQcow2(atB2, 32 * MIB, vm.logFile());
        QemuImg.writePatterns(atB2, List.of(new PatternWrite(0x5a, 0, 8 * MIB)), vm.logFile());
        assertThat(QemuImg.identical(copy, atB2, vm.logFile())).as("b2 after its base was merged into it").isTrue();

        assertThat(ok(cli.run(operator, "retention-unset", domain))).contains("has no retention policy any more");
        CliRunner.Result none = cli.run(operator, "prune", domain);
        assertThat(none.exit()).as("%s", none).isEqualTo(1);
        assertThat(none.err()).startsWith("error: VIR_ERR_OPERATION_INVALID (55): ").contains("no retention policy");
    }

    @Test
    @Order(6)
    void asyncBeginThenBackupDumpxmlAndDomjobabortOfTheRunningJob() {
        CliRunner.Result begun = cli.run(operator, "backup-begin", domain, "--async", "--json");
        JsonNode started = json(ok(begun));
        String jobId = started.path("jobId").asText();
        assertThat(jobId).isNotBlank();
        assertThat(started.path("commandId").asText()).startsWith("cli-");

        // Both forms at once: the job runs for a few seconds only, and each CLI run starts a JVM.
        CompletableFuture<CliRunner.Result> asJson = CompletableFuture.supplyAsync(() ->
                cli.run(viewer, "backup-dumpxml", domain, "--json"));
        assertThat(ok(cli.run(viewer, "backup-dumpxml", domain))).contains("<domainbackup", "mode='push'", "vda");
        JsonNode view = json(ok(asJson.join()));
        assertThat(view.path("jobId").asText()).isEqualTo(jobId);
        assertThat(view.path("domain").asText()).isEqualTo(domain);
        assertThat(ok(cli.run(operator, "domjobabort", domain))).isEqualTo("Job " + jobId
                + " aborted: status cancelled, success false\n");
        assertThat(ok(cli.run(viewer, "domjobinfo", "--job", jobId))).containsPattern("Job type:\\s+Cancelled");

        CliRunner.Result none = cli.run(viewer, "backup-dumpxml", domain);
        assertThat(none.exit()).as("%s", none).isEqualTo(1);
        assertThat(none.err()).startsWith("error: VIR_ERR_NO_DOMAIN_BACKUP (");
        CliRunner.Result noneJson = cli.run(viewer, "backup-dumpxml", domain, "--json");
        assertThat(noneJson.exit()).as("%s", noneJson).isEqualTo(1);
        assertThat(noneJson.err()).startsWith("error: VIR_ERR_NO_DOMAIN_BACKUP (104): ");
        CliRunner.Result abortNone = cli.run(operator, "domjobabort", domain);
        assertThat(abortNone.exit()).as("%s", abortNone).isEqualTo(1);
        assertThat(abortNone.err()).startsWith("error: VIR_ERR_");
        // What the CLI's domjobabort met: a 202, then the rejection at the command's long poll.
        String commandId = "it-" + UUID.randomUUID();
        HttpResponse<String> accepted = http(HttpRequest.newBuilder(URI.create(backupUrl + "/api/v1/domains/" + domain
                + "/backup")).header("Idempotency-Key", commandId).DELETE());
        assertThat(accepted.statusCode()).as("%s", accepted.body()).isEqualTo(202);
        HttpResponse<String> rejected = http(HttpRequest.newBuilder(URI.create(backupUrl + "/api/v1/commands/"
                + commandId + "?wait=PT20S")).GET());
        assertThat(rejected.statusCode()).isBetween(400, 499);
        assertThat(json(rejected.body()).path("code").asText()).isEqualTo(abortNone.err().split(" ")[1]);
    }

    @Test
    @Order(7)
    void checkpointDeleteWithChildrenOnlyThenTheCheckpoint() {
        assertThat(ok(cli.run(operator, "checkpoint-delete", domain, "b1", "--children-only")))
                .isEqualTo("Domain checkpoint b1 children deleted\n");
        JsonNode deleted = json(ok(cli.run(operator, "checkpoint-delete", domain, "c2", "--json")));
        assertThat(deleted.path("type").asText()).isEqualTo("checkpoint-deleted");
        assertThat(deleted.path("checkpoints").toString()).contains("c2");
        assertThat(ok(cli.run(viewer, "checkpoint-list", domain, "--tree")))
                .isEqualTo("c1\n  |\n  +- b1\n\n");
    }

    @Test
    @Order(8)
    void unknownDomainOrCheckpointIsLibvirtsErrorWithExitOne() {
        CliRunner.Result checkpoint = cli.run(operator, "checkpoint-delete", domain, "no-such");
        assertThat(checkpoint.exit()).as("%s", checkpoint).isEqualTo(1);
        assertThat(checkpoint.err()).startsWith("error: VIR_ERR_NO_DOMAIN_CHECKPOINT (103): ");
        // Out of the token's scope is answered as if it did not exist.
        CliRunner.Result domainUnknown = cli.run(operator, "checkpoint-list", "no-such-domain");
        assertThat(domainUnknown.exit()).as("%s", domainUnknown).isEqualTo(1);
        assertThat(domainUnknown.err()).startsWith("error: VIR_ERR_NO_DOMAIN (42): ");
        CliRunner.Result backupUnknown = cli.run(operator, "backup-begin", "no-such-domain");
        assertThat(backupUnknown.err()).startsWith("error: VIR_ERR_NO_DOMAIN (42): ");
        assertThat(backupUnknown.exit()).isEqualTo(1);
    }

    @Test
    @Order(9)
    void aViewerCannotWriteAndAnOperatorCannotRedefine() {
        CliRunner.Result create = cli.run(viewer, "checkpoint-create", domain, "--name", "v1");
        assertThat(create.exit()).as("%s", create).isEqualTo(1);
        assertThat(create.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");
        CliRunner.Result begin = cli.run(viewer, "backup-begin", domain);
        assertThat(begin.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");
        CliRunner.Result metadata = cli.run(operator, "checkpoint-delete", domain, "b1", "--metadata");
        assertThat(metadata.err()).startsWith("error: VIR_ERR_ACCESS_DENIED (88): ");
        assertThat(ok(cli.run(admin, "checkpoint-delete", domain, "b1", "--metadata")))
                .isEqualTo("Domain checkpoint b1 deleted\n");
    }

    @Test
    @Order(10)
    void pruneWithDeleteCheckpointsDropsTheCheckpointsNoKeptPointNeeds() {
        ok(cli.run(operator, "backup-begin", domain, "--checkpoint", "d1"));
        ok(cli.run(operator, "backup-begin", domain, "--incremental", "d1", "--checkpoint", "d2"));
        ok(cli.run(operator, "retention-set", domain, "--keep-last", "1"));
        CliRunner.Result usage = cli.run(operator, "prune", domain, "--async", "--delete-checkpoints");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(2);

        String pruned = ok(cli.run(operator, "prune", domain, "--delete-checkpoints"));
        assertThat(pruned).contains("Domain checkpoint d1 deleted").doesNotContain("Domain checkpoint d2 deleted");
        String tree = ok(cli.run(viewer, "checkpoint-list", domain));
        assertThat(tree).contains("d2").doesNotContain("d1");
        JsonNode points = json(ok(cli.run(viewer, "restore-points", domain, "--json")));
        assertThat(points).extracting(p -> p.path("checkpoint").asText()).containsExactly("d2");

        Path copy = vm.disk("vda").image().getParent().resolve("vda-d2.qcow2");
        assertThat(cli.run(operator, "restore", domain, "d2", "--disk", "vda=" + copy).exit()).isZero();
        Path atD2 = vm.file("want-d2.qcow2");
        QemuImg.createQcow2(atD2, 32 * MIB, vm.logFile());
        QemuImg.writePatterns(atD2, List.of(new PatternWrite(0x5a, 0, 8 * MIB)), vm.logFile());
        assertThat(QemuImg.identical(copy, atD2, vm.logFile())).as("d2 restores the disk").isTrue();
        ok(cli.run(operator, "retention-unset", domain));
    }

    @Test
    @Order(11)
    void noOrABadTokenOrNoServiceIsExitThree() {
        CliRunner.Result none = cli.run((String) null, "checkpoint-list", domain);
        assertThat(none.exit()).as("%s", none).isEqualTo(3);
        assertThat(none.err()).startsWith("error: VIR_ERR_AUTH_FAILED (45): no token");
        CliRunner.Result forged = cli.run("not.a.token", "hosts");
        assertThat(forged.exit()).as("%s", forged).isEqualTo(3);
        assertThat(forged.err()).startsWith("error: VIR_ERR_AUTH_FAILED (45): ");
        CliRunner.Result away = cli.run(Map.of("CAIRN_TOKEN", viewer, "CAIRN_BACKUP_URL", "http://127.0.0.1:1"),
                "hosts");
        assertThat(away.exit()).as("%s", away).isEqualTo(3);
        assertThat(away.err()).startsWith("error: VIR_ERR_NO_CONNECT (5): cannot connect to backup-service");
    }

    @Test
    @Order(12)
    void theTokenFromAPrivateConfigFileAndAReadableOneRefused() throws IOException {
        Path tokenFile = Files.writeString(home.resolve("token"), viewer);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path config = Files.writeString(home.resolve("cli.properties"), "token-file=token\n");
        assertThat(ok(cli.run((String) null, "checkpoint-list", domain, "--config", config.toString())))
                .contains(" c1");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result refused = cli.run((String) null, "checkpoint-list", domain, "--config", config.toString());
        assertThat(refused.exit()).as("%s", refused).isEqualTo(3);
        assertThat(refused.err()).contains("readable by others", "chmod 600");
    }

    @Test
    @Order(13)
    void badUsageIsExitTwoAndCompletionIsGenerated() {
        for (String[] args : List.of(new String[] {"checkpoint-list"},
                new String[] {"checkpoint-list", domain, "--tree", "--roots"},
                new String[] {"checkpoint-delete", domain, "c1", "--children", "--children-only"})) {
            CliRunner.Result result = cli.run(operator, args);
            assertThat(result.exit()).as("cairn %s: %s", String.join(" ", args), result).isEqualTo(2);
            assertThat(result.err()).contains("Usage: cairn " + args[0]);
        }
        CliRunner.Result unknown = cli.run(operator, "checkpoint-lst", domain);
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument", "Did you mean: cairn checkpoint-list");
        String completion = ok(cli.run((String) null, "completion", "bash"));
        assertThat(completion).contains("complete -F", "checkpoint-list", "backup-begin", "--incremental");
    }

    @Test
    @Order(14)
    void backupRegisterRecordsAPullsOutputAndRefusesItTwice() throws Exception {
        Path xml = home.resolve("pull.xml");
        Files.writeString(xml, "<domainbackup mode='pull'><server transport='unix' socket='"
                + vm.store("cli-pull.sock") + "'/></domainbackup>");
        String jobId = json(ok(cli.run(operator, "backup-begin", domain, "--backupxml", xml.toString(), "--async",
                "--json"))).path("jobId").asText();
        // The client's side: the export (a unix socket without TLS, private to the agent's user) read whole.
        String uri = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                json(http(HttpRequest.newBuilder(URI.create(backupUrl + "/api/v1/backup/jobs/" + jobId)).GET())
                        .body()).at("/nbd/exports/0/uri").asText(""), uriText -> !uriText.isEmpty());
        Path output = vm.store("vda.cli-pull.raw");
        Process copy = new ProcessBuilder("nbdcopy", uri, output.toString()).redirectErrorStream(true).start();
        String copied = new String(copy.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(copy.waitFor()).as(copied).isZero();
        assertThat(ok(cli.run(operator, "domjobabort", domain))).contains("success true");

        String registered = ok(cli.run(operator, "backup-register", domain, jobId, "--disk",
                "vda=" + output + ":raw"));
        Process sum = new ProcessBuilder("sha256sum", output.toString()).start();
        String sha256 = new String(sum.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .split(" ")[0];
        assertThat(sum.waitFor()).isZero();
        assertThat(registered).contains("Disk", "SHA-256", "vda", sha256, output.toString());
        CliRunner.Result twice = cli.run(operator, "backup-register", domain, jobId, "--disk", "vda=" + output
                + ":raw", "--json");
        assertThat(twice.exit()).as("%s", twice).isEqualTo(1);
        assertThat(twice.err()).startsWith("error: VIR_ERR_OPERATION_INVALID (55): ")
                .contains("in the backup catalog already");
        CliRunner.Result otherDomain = cli.run(operator, "backup-register", "no-" + domain, jobId, "--disk",
                "vda=" + output);
        assertThat(otherDomain.exit()).as("%s", otherDomain).isEqualTo(1);
        assertThat(otherDomain.err()).startsWith("error: VIR_ERR_NO_DOMAIN_BACKUP (104): ");
    }

    private String ok(CliRunner.Result result) {
        assertThat(result.exit()).as("%s", result).isZero();
        return result.out();
    }

    private HttpResponse<String> http(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + operator)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return CairnApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> names(String json) {
        List<String> names = new ArrayList<>();
        json(json).forEach(view -> names.add(view.at("/checkpoint/name").asText()));
        return names;
    }

    private Set<Path> files() throws IOException {
        try (Stream<Path> paths = Files.list(vm.workDir())) {
            return paths.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("vda.qcow2."))
                    .collect(Collectors.toSet());
        }
    }

    private static Set<Path> difference(Set<Path> after, Set<Path> before) {
        return after.stream().filter(p -> !before.contains(p)).collect(Collectors.toSet());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }
}
