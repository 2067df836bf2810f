package dev.zgres.consumers.ai;

import dev.zgres.consumers.chat.ChatConnection;
import dev.zgres.runtime.lifecycle.OwnedThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers assistant requests that no record brings to the worker's attention: requests left claimed
 * by a worker that died (taken over once their lease expires) and requests given back after a
 * failure. Runs {@link AssistantDesk#answerPending()} every {@code every} on its own thread and
 * connection; an error is logged and counted, and the loop carries on.
 */
public final class RequestSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestSweeper.class);
  private final ChatConnection connection;
  private final Function<Connection, AssistantDesk> desks;
  private final Duration every;
  private final Consumer<Exception> onError;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OwnedThread thread;

  public RequestSweeper(
      ChatConnection connection,
      Function<Connection, AssistantDesk> desks,
      Duration every,
      Consumer<Exception> onError) {
    this.connection = connection;
    this.desks = desks;
    this.every = every;
    this.onError = onError;
    this.thread = new OwnedThread("zgres-ai-sweeper", this::run);
  }

  public RequestSweeper start() {
    thread.start();
    return this;
  }

  private void run() {
    AssistantDesk desk = null;
    long generation = -1;
    try {
      while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
        try {
          Connection c = connection.get();
          if (generation != connection.generation()) {
            desk = desks.apply(c);
            generation = connection.generation();
          }
          desk.answerPending();
        } catch (SQLException e) {
          connection.forget(e);
          LOG.warn("sweeping the AI request queue failed; trying again in {}", every, e);
          onError.accept(e);
        } catch (RuntimeException e) {
          LOG.warn("sweeping the AI request queue failed; trying again in {}", every, e);
          onError.accept(e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    stop.countDown();
    thread.stop(Duration.ofSeconds(10), Duration.ofSeconds(2));
    connection.close();
  }
}
