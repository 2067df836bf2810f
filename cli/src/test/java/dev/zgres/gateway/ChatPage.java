package dev.zgres.gateway;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page in one browser, as a user sees and uses it. */
final class ChatPage {
  static final Duration PATIENCE = Duration.ofSeconds(45);
  private final ChromeDriver driver;
  private final String baseUrl;

  ChatPage(ChromeDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens the page, logs in and waits until the socket is live. */
  ChatPage logIn(String username, String password) {
    driver.get(baseUrl + "/");
    await("the login form", d -> d.findElement(By.id("login-username")).isDisplayed());
    type(By.id("login-username"), username);
    type(By.id("login-password"), password);
    driver.findElement(By.id("login-button")).click();
    awaitLive();
    return this;
  }

  void awaitLive() {
    await("the connection to be live", d -> connection().equals("live"));
  }

  String connection() {
    return text(By.id("connection"));
  }

  /** Clicks the channel in the list and waits until its history is shown. */
  ChatPage openChannel(int channelId) {
    By button = By.cssSelector("#channel-list button.open[data-channel-id='" + channelId + "']");
    await("channel " + channelId + " in the list", d -> !d.findElements(button).isEmpty());
    driver.findElement(button).click();
    await(
        "channel " + channelId + " to be open",
        d -> "true".equals(d.findElement(button).getAttribute("aria-current")));
    return this;
  }

  /** Goes to a channel by its link (as a shared link would), list or not. */
  void visitChannel(int channelId) {
    driver.get(baseUrl + "/#channel-" + channelId);
  }

  void send(String content) {
    WebElement input = driver.findElement(By.id("composer-input"));
    input.sendKeys(content);
    input.sendKeys(Keys.ENTER);
  }

  void typeWithoutSending(String content) {
    driver.findElement(By.id("composer-input")).sendKeys(content);
  }

  /** The texts of the shown messages, oldest first. */
  List<String> messages() {
    return retrying(
        () ->
            driver.findElements(By.cssSelector("#messages li .body")).stream()
                .map(WebElement::getText)
                .toList());
  }

  void awaitMessage(String content) {
    await("the message '" + content + "'", d -> messages().contains(content));
  }

  String typing() {
    return text(By.id("typing"));
  }

  String title() {
    return text(By.id("channel-title"));
  }

  String unreadBadge(int channelId) {
    List<WebElement> badge =
        driver.findElements(
            By.cssSelector(
                "#channel-list button.open[data-channel-id='" + channelId + "'] .unread"));
    return badge.isEmpty() ? "" : badge.get(0).getText();
  }

  void reload() {
    driver.navigate().refresh();
  }

  String text(By by) {
    return retrying(() -> driver.findElement(by).getText());
  }

  void await(String what, Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, PATIENCE)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "waiting for " + what)
        .until(condition);
  }

  private void type(By by, String text) {
    WebElement field = driver.findElement(by);
    field.clear();
    field.sendKeys(text);
  }

  private static <T> T retrying(java.util.function.Supplier<T> read) {
    for (int attempt = 0; ; attempt++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }
}
