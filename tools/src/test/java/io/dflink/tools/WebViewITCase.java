package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.kafka.Topics;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.ShortRing;
import io.dflink.tools.ui.WebView;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web view in a real browser: a short DFL run (embedded broker, MiniCluster, SDK fleet, ring of
 * 4) with {@code dflink ui}'s server on its topics, and headless Chromium driven by Selenium
 * opening the page before the run starts. Without reloading, the page must come to show what a
 * person would see: every server drawn, as many edges as the topology has, the convergence chart's
 * last point at the last published round, and a hostile record sent mid-run in the dead-letter feed
 * with its reason. Leaves a screenshot in {@code dflink-out/web-view.png}.
 */
class WebViewITCase {

    private static final int SERVERS = 4;
    private static final int ROUNDS = 12;

    /** Selenium's own log (e.g. no DevTools binding for this Chromium) is not the test's output. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    @Test
    void shouldDrawTheRunningFederationLiveInABrowser() throws Exception {
        ChromeDriver browser = startChromium();
        String prefix = "it-" + UUID.randomUUID() + ".";
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = ShortRing.config(kafka.bootstrapServers(), prefix, ROUNDS);
            try (EmbeddedJob job = EmbeddedJob.start(config);
                    WebView view = WebView.start(config.kafkaCommon(), prefix, "127.0.0.1", 0);
                    OutsideClient client = new OutsideClient(kafka.bootstrapServers())) {
                browser.get(view.url());
                JavascriptExecutor js = browser;
                // a reload would lose it: the page must take every change as an event
                js.executeScript("window.openedOnce = 'yes';");
                client.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));
                try (Fleet fleet = ShortRing.fleet(config, SERVERS)) {
                    awaitRound(browser, 2);
                    client.send(
                            prefix + Topics.CLIENT_UPDATES.name(),
                            "s1",
                            "{\"type\":\"model\",\"clientId\":\"intruder\",\"serverId\":\"s1\","
                                    + "\"round\":0,\"weight\":1,\"vector\":[1,2,3]}");
                    Map<String, JsonNode> last =
                            client.awaitLastModels(
                                    prefix + Topics.SERVER_MODELS.name(), SERVERS, 180_000);
                    long lastRound = last.values().iterator().next().get("round").asLong();
                    assertThat(lastRound).isEqualTo(ROUNDS);
                    awaitRound(browser, lastRound);
                    new WebDriverWait(browser, Duration.ofSeconds(30))
                            .until(b -> !rows(b).isEmpty());
                    assertWhatAPersonSees(browser, lastRound);
                    assertThat(js.executeScript("return window.openedOnce;")).isEqualTo("yes");
                    screenshot(browser);
                }
            }
        } finally {
            browser.quit();
        }
    }

    private static void assertWhatAPersonSees(ChromeDriver browser, long lastRound) {
        List<String> labels =
                browser.findElements(By.cssSelector("#topology svg text")).stream()
                        .map(WebElement::getText)
                        .toList();
        assertThat(labels).as("every server is drawn").contains("s0", "s1", "s2", "s3");
        Object links =
                browser.executeScript(
                        "return echarts.getInstanceByDom(document.getElementById('topology'))"
                                + ".getOption().series[0].links.length;");
        assertThat(((Number) links).intValue()).as("edges drawn = the ring's").isEqualTo(SERVERS);
        Object lastPoint =
                browser.executeScript(
                        "const o = echarts.getInstanceByDom(document.getElementById('convergence'))"
                                + ".getOption();"
                                + "return Math.max(...o.series.map(s => s.data[s.data.length - 1][0]));");
        assertThat(((Number) lastPoint).longValue())
                .as("the convergence chart ends at the last published round")
                .isEqualTo(lastRound);
        Object series =
                browser.executeScript(
                        "return echarts.getInstanceByDom(document.getElementById('convergence'))"
                                + ".getOption().series.length;");
        assertThat(((Number) series).intValue()).isEqualTo(SERVERS);
        List<WebElement> cells = rows(browser).get(0).findElements(By.tagName("td"));
        assertThat(cells.get(0).getText()).isEqualTo("WRONG_DIMENSION");
        assertThat(cells.get(3).getText()).isEqualTo("s1");
        assertThat(browser.findElement(By.id("status")).getText())
                .contains(
                        "DFL",
                        SERVERS + " servers",
                        SERVERS + " edges",
                        "round " + lastRound,
                        "1 dead letter");
    }

    private static List<WebElement> rows(org.openqa.selenium.WebDriver b) {
        return b.findElements(By.cssSelector("#dead-letters tbody tr"));
    }

    private static void awaitRound(ChromeDriver browser, long round) {
        new WebDriverWait(browser, Duration.ofSeconds(180))
                .until(
                        b -> {
                            String r =
                                    b.findElement(By.id("convergence"))
                                            .getDomAttribute("data-last-round");
                            return r != null && Long.parseLong(r) >= round;
                        });
    }

    private static void screenshot(ChromeDriver browser) throws Exception {
        Path out = Path.of("..", "dflink-out", "web-view.png");
        Files.createDirectories(out.getParent());
        Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Debian's chromium and chromium-driver; .ci/run installs both. */
    private static ChromeDriver startChromium() {
        File chromium = new File("/usr/bin/chromium");
        File driver = new File("/usr/bin/chromedriver");
        if (!chromium.canExecute() || !driver.canExecute()) {
            assertThat(System.getenv("CI"))
                    .as("chromium is installed on CI (.ci/run installs chromium, chromium-driver)")
                    .isNull();
            Assumptions.abort("apt-get install chromium chromium-driver to run this test");
        }
        SELENIUM_LOG.setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1300");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driver)
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }
}
