package io.cairn.tour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.service.QuarkusProcesses;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless Chromium through its chromedriver) against the real system:
 * the packaged checkpoint-service and backup-service, a host-agent process, two guest-less QEMUs, the real broker and
 * database. Screenshots of every page go to target/console-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path SHOTS = Path.of("target/console-screenshots");
    /** The backed-up disk: 8 MiB of data at the agent's 1 MiB/s, so the job runs long enough to report progress. */
    private static final long DISK = 8L << 20;

    private static final List<AutoCloseable> running = new ArrayList<>();
    private static ServiceProcess checkpointService;
    private static ServiceProcess backupService;
    private static String web;
    private static String db;
    private static String operatorToken;
    private static String viewerToken;
    private static ChromeDriver browser;
    private static String console;
    private static boolean loginShown;

    @BeforeAll
    static void startEverything() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        web = "console-web-" + suffix;
        db = "console-db-" + suffix;
        int checkpointPort = QuarkusProcesses.freePort();
        CompletableFuture<ServiceProcess> checkpoints = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("checkpoint-service", stack, "cairn_checkpoint_test", checkpointPort));
        // The console forwards lineage calls to that checkpoint-service; progress events every second (the contract
        // allows one per 5 s; a test setting, so a short backup shows several).
        CompletableFuture<ServiceProcess> backups = CompletableFuture.supplyAsync(() ->
                ServiceProcess.start("backup-service", stack, "cairn_backup_test",
                        "-Dcairn.console.checkpoint-url=http://127.0.0.1:" + checkpointPort,
                        "-Dcairn.backup.progress-interval=1s"));
        CompletableFuture<ChromeDriver> chromium = CompletableFuture.supplyAsync(ConsoleIT::chromium);
        // 1 MiB/s per disk job, reported every second: a backup's progress shows several steps.
        AgentProcess agent = keep(AgentProcess.start(stack.kafkaBootstrap(), "-Dcairn.agent.job-speed=" + (1L << 20)));
        for (String domain : List.of(web, db)) {
            GuestlessQemu qemu = keep(GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory()
                    .disk("vda", DISK, new PatternWrite(0x5a, 0, DISK)).start());
            agent.adopt(domain, qemu.qmpSocket());
        }
        checkpointService = keep(checkpoints.join());
        backupService = keep(backups.join());
        console = "http://127.0.0.1:" + backupService.port() + "/console";
        operatorToken = LocalStack.issuer().token("console-operator", "operator", List.of(web, db), Duration.ofHours(1));
        viewerToken = LocalStack.issuer().token("console-viewer", "viewer", List.of(web, db), Duration.ofHours(1));
        browser = keep(chromium.join());
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    @Order(1)
    void anOperatorLogsInWithATokenAndTheFleetListsTheVms() throws Exception {
        logIn(operatorToken);
        // The agent reports its domains every 30 s and at its start: the fleet page loads whatever is reported.
        until(() -> {
            browser.navigate().refresh();
            return waitLive() && domainsOnFleetPage().containsAll(List.of(web, db));
        }, Duration.ofSeconds(90));
        assertThat(domainsOnFleetPage()).contains(web, db);
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("console-operator (operator)");
        assertThat(browser.findElement(By.id("caps")).getText()).contains("of at most 5 in the fleet, 2 per host");
        screenshot("fleet");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("fleet-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    @Order(2)
    void theTreeFollowsTheLineageLiveAndHasExactlyItsNodesAndEdges() throws Exception {
        open("/domains/" + web);
        markPage();
        for (String name : List.of("c1", "c2", "c3")) {
            createCheckpoint(web, name);
        }
        // Created after the page loaded: it shows them from the live feed alone.
        until(() -> nodes().keySet().equals(Set.of("c1", "c2", "c3")), WAIT);
        assertThat(nodes()).isEqualTo(lineage(web));
        assertThat(nodes()).containsEntry("c2", "c1").containsEntry("c3", "c2").containsEntry("c1", "");
        assertThat(currentMarked()).isEqualTo("c3");

        browser.findElement(By.cssSelector("li[data-checkpoint='c1'] > .node > button.cp")).click();
        until(() -> browser.findElement(By.id("xml")).getText().contains("<name>c1</name>"), WAIT);
        screenshot("domain");

        // Deleted by someone else: the page learns it from the feed and draws c3 under c1, without a reload.
        HttpResponse<String> deleted = call("DELETE", "http://127.0.0.1:" + checkpointService.port()
                + "/api/v1/domains/" + web + "/checkpoints/c2", operatorToken, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 202);
        until(() -> !nodes().containsKey("c2"), WAIT);
        assertThat(nodes()).isEqualTo(Map.of("c1", "", "c3", "c1")).isEqualTo(lineage(web));
        assertThat(pageMarked()).as("the page was not reloaded").isTrue();

        // The operator's own delete button, with the CHILDREN_ONLY flag: c3 goes, c1 stays.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("delete-flags")))
                .selectByValue("CHILDREN_ONLY");
        browser.findElement(By.cssSelector("li[data-checkpoint='c1'] > .node > button.action")).click();
        until(() -> nodes().equals(Map.of("c1", "")), WAIT);
        assertThat(lineage(web)).isEqualTo(Map.of("c1", ""));

        // The operator's create form: the new checkpoint's parent is the domain's newest, c1.
        browser.findElement(By.id("create-name")).sendKeys("c4");
        browser.findElement(By.id("create")).click();
        until(() -> nodes().equals(Map.of("c1", "", "c4", "c1")), WAIT);
        assertThat(lineage(web)).isEqualTo(Map.of("c1", "", "c4", "c1"));
        assertThat(pageMarked()).isTrue();
    }

    @Test
    @Order(3)
    void aBackupStartedFromThePageShowsItsProgressLiveAndEndsWithItsResult() throws Exception {
        open("/domains/" + web);
        browser.findElement(By.id("backup-checkpoint")).sendKeys("b1");
        browser.findElement(By.id("backup-begin")).click();
        until(() -> browser.findElement(By.id("live")).getText().contains("started"), WAIT);
        browser.findElement(By.linkText("follow it on Jobs")).click();
        waitLive();
        markPage();
        By card = By.cssSelector("#active .job[data-domain='" + web + "']");
        Set<Long> seen = new LinkedHashSet<>();
        boolean[] jobsShown = {false};
        String jobId = browser.findElement(card).getAttribute("data-job");
        // Every value the bar shows, until the job is in the history: the page is never reloaded meanwhile.
        until(() -> {
            browser.findElements(card).forEach(found -> {
                String processed = found.getAttribute("data-processed");
                if (processed != null) {
                    seen.add(Long.parseLong(processed));
                }
            });
            if (seen.size() == 3 && !jobsShown[0]) {
                jobsShown[0] = true;
                screenshot("jobs");
            }
            return !browser.findElements(By.cssSelector("#history tr[data-job='" + jobId + "']")).isEmpty();
        }, WAIT, Duration.ofMillis(100));
        List<Long> between = seen.stream().filter(value -> value > 0 && value < DISK).toList();
        assertThat(between).as("progress values shown while it ran: %s", seen).hasSizeGreaterThanOrEqualTo(2);
        assertThat(between).isSorted();
        assertThat(browser.findElement(By.cssSelector("#history tr[data-job='" + jobId + "']"))
                .getAttribute("data-state")).isEqualTo("COMPLETED");
        assertThat(browser.findElement(By.id("live")).getText()).contains("Backup " + jobId + " of " + web
                + ": completed");
        assertThat(pageMarked()).isTrue();
        if (!jobsShown[0]) {
            screenshot("jobs");
        }

        // A backup started elsewhere appears on the open page, and its Abort button cancels it.
        HttpResponse<String> begun = call("POST", "http://127.0.0.1:" + backupService.port() + "/api/v1/domains/" + db
                + "/backup", operatorToken, "{\"backup\":{\"mode\":\"push\"}}");
        assertThat(begun.statusCode()).as(begun.body()).isIn(200, 202);
        By dbCard = By.cssSelector("#active .job[data-domain='" + db + "']");
        until(() -> !browser.findElements(dbCard).isEmpty(), WAIT);
        String dbJob = browser.findElement(dbCard).getAttribute("data-job");
        browser.findElement(dbCard).findElement(By.cssSelector("button.action")).click();
        until(() -> !browser.findElements(By.cssSelector("#history tr[data-job='" + dbJob + "']")).isEmpty(), WAIT);
        assertThat(browser.findElement(By.cssSelector("#history tr[data-job='" + dbJob + "']"))
                .getAttribute("data-state")).isEqualTo("CANCELLED");
        assertThat(pageMarked()).isTrue();
    }

    @Test
    @Order(4)
    void theRestorePointsPageShowsTheBackupsChain() throws Exception {
        open("/domains/" + web + "/restore-points");
        until(() -> !browser.findElements(By.cssSelector(".point[data-checkpoint='b1']")).isEmpty(), WAIT);
        WebElement point = browser.findElement(By.cssSelector(".point[data-checkpoint='b1']"));
        assertThat(point.getText()).contains("restorable").contains("vda").contains("full b1")
                .doesNotContain("intact (");
        markPage();

        // The operator's actions, their outcomes from the live feed: a verify marks the artifacts intact, a restore
        // says where it wrote each disk.
        point.findElement(By.cssSelector("button[aria-label='Verify restore point b1']")).click();
        until(() -> browser.findElement(By.cssSelector(".point[data-checkpoint='b1']")).getText()
                .contains("intact ("), WAIT);
        assertThat(browser.findElement(By.id("live")).getText()).contains("Verify of b1: every artifact intact");
        browser.findElement(By.cssSelector("button[aria-label='Restore b1 as copies']")).click();
        until(() -> browser.findElement(By.id("live")).getText().matches("Restore of b1: (succeeded|failed).*"), WAIT);
        assertThat(browser.findElement(By.id("live")).getText()).startsWith("Restore of b1: succeeded: vda → /");
        assertThat(pageMarked()).isTrue();
        screenshot("restore-points");
    }

    @Test
    @Order(5)
    void aViewerSeesNoActionButtonAndAForgedActionIsRefused() throws Exception {
        open("/domains/" + web);
        assertThat(browser.findElements(By.cssSelector("button.action"))).as("an operator's buttons").isNotEmpty();
        open("/domains/" + web + "/restore-points");
        assertThat(browser.findElements(By.cssSelector("button.action"))).as("an operator's buttons").hasSize(2);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        logIn(viewerToken);
        open("/domains/" + web);
        until(() -> nodes().containsKey("b1"), WAIT);
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("console-viewer (viewer)");
        assertThat(browser.findElements(By.cssSelector("button.action"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#actions, #delete-options, form"))).isEmpty();
        screenshot("domain-viewer");
        open("/domains/" + web + "/restore-points");
        until(() -> !browser.findElements(By.cssSelector(".point[data-checkpoint='b1']")).isEmpty(), WAIT);
        assertThat(browser.findElements(By.cssSelector("button.action"))).isEmpty();

        // The same calls the operator's buttons make, forged from the viewer's page: the server refuses them.
        assertThat(fetchStatus("DELETE", "/api/v1/console/domains/" + web + "/checkpoints/c1")).isEqualTo(403);
        assertThat(fetchStatus("POST", "/api/v1/domains/" + web + "/backup")).isEqualTo(403);
        assertThat(fetchStatus("DELETE", "/api/v1/domains/" + web + "/backup")).isEqualTo(403);
        assertThat(lineage(web)).containsKey("c1");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void logIn(String token) {
        browser.get(console + "/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
        long t0 = System.nanoTime();
        until(() -> browser.getCurrentUrl().endsWith("/console/fleet"), WAIT);
        System.out.printf("ConsoleIT: logged in in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        if (!loginShown) {
            loginShown = true;
            browser.get(console + "/login");
            screenshot("login");
            browser.get(console + "/fleet");
        }
    }

    private static void open(String path) {
        long t0 = System.nanoTime();
        browser.get(console + path);
        waitLive();
        System.out.printf("ConsoleIT: %s loaded and live in %d ms%n", path, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Until the page's data is loaded and its live feed open. */
    private static boolean waitLive() {
        until(() -> "on".equals(browser.findElement(By.tagName("body")).getAttribute("data-live")), WAIT);
        return true;
    }

    private static Set<String> domainsOnFleetPage() {
        return browser.findElements(By.cssSelector(".host tr[data-domain]")).stream()
                .map(row -> row.getAttribute("data-domain")).collect(Collectors.toSet());
    }

    /** The tree as drawn: each checkpoint and the checkpoint of the list item it is nested in ("" for a root). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> nodes() {
        return (Map<String, String>) ((JavascriptExecutor) browser).executeScript(
                "const tree = {};"
                        + "document.querySelectorAll('#tree li[data-checkpoint]').forEach(li => {"
                        + "  const parent = li.parentElement.closest('li[data-checkpoint]');"
                        + "  tree[li.dataset.checkpoint] = parent ? parent.dataset.checkpoint : ''; });"
                        + "return tree;");
    }

    private static String currentMarked() {
        List<String> marked = browser.findElements(By.cssSelector("#tree li[data-checkpoint]")).stream()
                .filter(li -> li.findElements(By.xpath("./div/span[text()='current']")).size() == 1)
                .map(li -> li.getAttribute("data-checkpoint")).toList();
        assertThat(marked).hasSize(1);
        return marked.get(0);
    }

    private static void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.consoleItMark = 'same page';");
    }

    private static boolean pageMarked() {
        return "same page".equals(((JavascriptExecutor) browser).executeScript("return window.consoleItMark;"));
    }

    /** The status of a fetch the page's own script could make, with the token it holds. */
    private static long fetchStatus(String method, String path) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[1], { method: arguments[0], headers: { 'Authorization': 'Bearer ' + "
                        + "sessionStorage.getItem('cairn.token'), 'Content-Type': 'application/json' },"
                        + " body: arguments[0] === 'POST' ? '{}' : undefined }).then(r => done(r.status), e => done(-1));",
                method, path);
        return ((Number) status).longValue();
    }

    /** The lineage as checkpoint-service's REST API has it: each checkpoint and its parent ("" for a root). */
    private static Map<String, String> lineage(String domain) throws Exception {
        HttpResponse<String> list = call("GET", "http://127.0.0.1:" + checkpointService.port() + "/api/v1/domains/"
                + domain + "/checkpoints", operatorToken, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        Map<String, String> tree = new java.util.HashMap<>();
        for (JsonNode view : JSON.readTree(list.body())) {
            tree.put(view.path("checkpoint").path("name").asText(), view.path("checkpoint").path("parent").asText(""));
        }
        return tree;
    }

    private static void createCheckpoint(String domain, String name) throws Exception {
        HttpResponse<String> created = call("POST", "http://127.0.0.1:" + checkpointService.port()
                + "/api/v1/domains/" + domain + "/checkpoints", operatorToken, "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201, 202);
    }

    private static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void until(java.util.function.BooleanSupplier condition, Duration timeout) {
        until(condition, timeout, Duration.ofMillis(200));
    }

    private static void until(java.util.function.BooleanSupplier condition, Duration timeout, Duration every) {
        new WebDriverWait(browser, timeout, every).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }

    private static void screenshot(String name) {
        try {
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new AssertionError("cannot save the screenshot " + name, e);
        }
    }

    private static <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }

    private static ChromeDriver keep(ChromeDriver driver) {
        running.add(driver::quit);
        return driver;
    }
}
