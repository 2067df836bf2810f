package dev.zgres.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium sessions for the chat page's tests, driven through the system's chromedriver
 * (Debian's {@code chromium} and {@code chromium-driver}; Selenium Manager is never asked to find
 * or download anything). Without them, every test is skipped with a message saying how to install
 * them. A failed test leaves a screenshot of each of its browsers in {@code target/screenshots}.
 */
final class ChatBrowsers
    implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {
  static final String DRIVER = System.getProperty("zgres.chromedriver", "/usr/bin/chromedriver");
  static final String BROWSER = System.getProperty("zgres.chromium", "/usr/bin/chromium");
  private static final Path SHOTS = Path.of("target", "screenshots");

  private final List<ChatPage> open = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();

  /** Skips the calling test when Chromium or its driver is missing, saying why. */
  static void assumeInstalled() {
    boolean installed = new File(DRIVER).canExecute() && new File(BROWSER).canExecute();
    if (!installed) {
      String why =
          "browser tests skipped: "
              + DRIVER
              + " or "
              + BROWSER
              + " is missing; install them with `apt-get install chromium chromium-driver`"
              + " (.ci/run does when it runs as root), or point -Dzgres.chromedriver and"
              + " -Dzgres.chromium at them";
      System.err.println(why);
      Assumptions.abort(why);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    assumeInstalled();
  }

  /** A new browser session (its own profile, so its own sessionStorage) on {@code baseUrl}. */
  ChatPage open(String baseUrl, int width, int height) throws IOException {
    Path profile = Files.createTempDirectory("zgres-chromium-");
    profiles.add(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
    ChatPage page = new ChatPage(driver, baseUrl);
    open.add(page);
    return page;
  }

  ChatPage open(String baseUrl) throws IOException {
    return open(baseUrl, 1100, 760);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws IOException {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    Files.createDirectories(SHOTS);
    String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
    name = name.replaceAll("[^A-Za-z0-9_-]", "");
    for (int i = 0; i < open.size(); i++) {
      try {
        File shot = open.get(i).driver().getScreenshotAs(OutputType.FILE);
        Path to = SHOTS.resolve(name + "-browser" + (i + 1) + ".png");
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot of the failed test: " + to.toAbsolutePath());
      } catch (RuntimeException e) {
        System.out.println("no screenshot of browser " + (i + 1) + ": " + e);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    for (ChatPage page : open) {
      try {
        page.driver().quit();
      } catch (RuntimeException e) {
        System.out.println("closing a browser failed: " + e);
      }
    }
    open.clear();
    for (Path profile : profiles) {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    profiles.clear();
  }
}
