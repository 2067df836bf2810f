package dev.zgres.consumers.ai;

import dev.zgres.consumers.chat.ChatConnection;
import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.consume.Outcome;
import dev.zgres.consumers.consume.RecordHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The AI worker's record handler: a value that is not a chat event is dead-lettered, events that
 * are not a user's text are done at once, and the rest go to a {@link MessageAnalyst} on this
 * thread's connection. A message deleted for good meanwhile ({@code no_data_found}) is done; a lost
 * connection is dropped and rethrown, so the loop retries the record on a new one.
 */
public final class AnalysisHandler implements RecordHandler {
  private static final String NO_DATA_FOUND = "P0002";
  private final ChatConnection connection;
  private final Function<Connection, MessageAnalyst> analysts;
  private final AiMeters meters;
  private MessageAnalyst analyst;
  private long analystGeneration = -1;

  public AnalysisHandler(
      ChatConnection connection, Function<Connection, MessageAnalyst> analysts, AiMeters meters) {
    this.connection = connection;
    this.analysts = analysts;
    this.meters = meters;
  }

  @Override
  public Outcome handle(ConsumerRecord<byte[], byte[]> record) throws SQLException {
    ChatEvent event;
    try {
      event = ChatEvent.parse(record.value());
    } catch (ChatEvent.MalformedEventException e) {
      return Outcome.deadLetter(e.getMessage());
    }
    if (!event.isUserText()) {
      return Outcome.DONE;
    }
    try {
      Connection c = connection.get();
      if (analystGeneration != connection.generation()) {
        analyst = analysts.apply(c);
        analystGeneration = connection.generation();
      }
      MessageAnalyst.Outcome outcome = analyst.handle(event);
      meters.analysed();
      if (outcome.summarised()) {
        meters.summarised();
      }
      return Outcome.DONE;
    } catch (SQLException e) {
      if (NO_DATA_FOUND.equals(e.getSQLState())) {
        return Outcome.DONE;
      }
      throw connection.forget(e);
    }
  }
}
