package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The {@code compare --report} page opened from its file in a real headless Chromium (the
 * distribution's {@code chromium} and {@code chromedriver}, which {@code .ci/run} installs): it
 * loads with no console errors and shows one chart per figure with one bar per combination, at the
 * JSON's numbers.
 */
class CompareHtmlBrowserTest {
    /** Where Debian's packages put the browser and its driver; Selenium Manager is not used. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir Path dir;

    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing =
                "this test needs "
                        + CHROMIUM
                        + " and "
                        + CHROMEDRIVER
                        + ": apt-get install -y chromium chromium-driver (.ci/run does it)";
        if (!installed && System.getenv("CI") == null) {
            // a developer's machine without the browser: reported as skipped, with the fix;
            // under CI (which .ci/run sets, and where it installs both) it must run
            Assumptions.abort(missing);
        }
        assertTrue(installed, missing);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theReportLoadsWithoutErrorsAndDrawsOneBarPerCombinationOnEveryFigure() throws Exception {
        Path html = dir.resolve("compare.html");
        Cli.Result r =
                Cli.run(
                        dir,
                        "compare",
                        "--workers",
                        "2",
                        "--namespace",
                        "a:size=32M",
                        "--namespace",
                        "b:size=32M,mode=devdax",
                        "--workload",
                        "count=16",
                        "--vary",
                        "workers=1,2",
                        "--vary",
                        "map=mem,dev",
                        "--rounds",
                        "2",
                        "--json",
                        "--no-progress",
                        "--report",
                        html.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode json = r.json();
        int combinations = json.get("combinations").size();
        assertEquals(4, combinations);

        browser.get(html.toUri().toString());

        List<LogEntry> errors =
                browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(
                                e ->
                                        e.getLevel().intValue()
                                                >= java.util.logging.Level.WARNING.intValue())
                        .toList();
        assertEquals(List.of(), errors, "console errors or warnings");
        List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));
        assertEquals(CompareFigure.values().length, charts.size());
        for (int f = 0; f < charts.size(); f++) {
            WebElement chart = charts.get(f);
            String key = CompareFigure.values()[f].key();
            assertEquals(key, chart.getAttribute("data-figure"));
            assertTrue(chart.isDisplayed(), key);
            List<WebElement> bars = chart.findElements(By.cssSelector("rect.bar"));
            assertEquals(combinations, bars.size(), key);
            for (int c = 0; c < combinations; c++) {
                JsonNode spread = json.get("combinations").get(c).get("figures").get(key);
                assertEquals(
                        spread.get("median").asDouble(),
                        Double.parseDouble(bars.get(c).getAttribute("data-median")),
                        key);
                assertEquals(
                        json.get("combinations").get(c).get("label").asText(),
                        bars.get(c).getAttribute("data-combination"));
            }
        }
        // the page's own script compared every bar with the embedded JSON
        String check = browser.findElement(By.id("check")).getText();
        assertEquals(
                "All "
                        + combinations * CompareFigure.values().length
                        + " bars match the report\u2019s JSON (embedded in this page).",
                check);
        // the bars are drawn: map=dev keeps no memmap in RAM, map=mem a visible bar
        Object heights =
                ((JavascriptExecutor) browser)
                        .executeScript(
                                "return Array.from(document.querySelectorAll("
                                        + "'svg.chart[data-figure=memmapBytesInRam] rect.bar'))"
                                        + ".map(b => b.getBBox().height);");
        @SuppressWarnings("unchecked")
        List<Number> h = (List<Number>) heights;
        for (int c = 0; c < combinations; c++) {
            boolean dev =
                    json.get("combinations")
                            .get(c)
                            .get("settings")
                            .get("map")
                            .asText()
                            .equals("dev");
            assertTrue(
                    dev ? h.get(c).doubleValue() == 0 : h.get(c).doubleValue() > 50, h.toString());
        }
        assertEquals(combinations, browser.findElements(By.cssSelector("h2.timeline")).size());
    }
}
