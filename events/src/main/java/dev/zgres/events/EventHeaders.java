package dev.zgres.events;

/**
 * Names of the Kafka record headers the bridge writes on every record. The record value is the
 * payload exactly as the trigger emitted it, and the record key is the routing key; everything else
 * a consumer may need travels in these headers, as UTF-8 strings.
 */
public final class EventHeaders {

  /** The PostgreSQL channel the payload was emitted on, e.g. {@code chat_message_42}. */
  public static final String CHANNEL = "zgres-channel";

  /** Identity of the event, stable across re-deliveries: consumers drop duplicates by it. */
  public static final String EVENT_ID = "zgres-event-id";

  /** How the event reached the bridge: {@code notify} or {@code wal}. */
  public static final String SOURCE = "zgres-source";

  /**
   * Which database the event came from, when its bridge was given a name ({@code
   * ZGRES_SOURCE_NAME}): e.g. the partition of a PL/Proxy cluster whose bridges all publish to the
   * same topics. The event id then starts with that name and a colon.
   */
  public static final String PARTITION = "zgres-partition";

  /** When the bridge received the event, in epoch milliseconds. */
  public static final String RECEIVED_AT = "zgres-received-at";

  /** In {@code wal} mode, the log sequence number of the commit, as PostgreSQL prints it. */
  public static final String LSN = "zgres-lsn";

  /** On a dead-letter record: why the record could not go to its topic. */
  public static final String DLQ_REASON = "zgres-dlq-reason";

  /** On a dead-letter record: the topic the record was meant for. */
  public static final String DLQ_TOPIC = "zgres-dlq-original-topic";

  /** On a dead-letter record: the size in bytes of the whole payload (the value may be cut). */
  public static final String PAYLOAD_SIZE = "zgres-payload-size";

  /** On a consumer's dead-letter record: how many times handling the record was attempted. */
  public static final String DLQ_ATTEMPTS = "zgres-dlq-attempts";

  /**
   * On a record written by {@code bin/zgres replay} ({@code --to-topic}, {@code --to-original}):
   * where it was read, {@code <topic>/<partition>/<offset>}. Consumers drop duplicates by {@link
   * #EVENT_ID} together with this header, so a re-driven dead letter is handled again.
   */
  public static final String REPLAYED_FROM = "zgres-replayed-from";

  /** Suffix of the dead-letter topic of a topic: {@code chat.messages.dlq}. */
  public static final String DLQ_SUFFIX = ".dlq";

  private EventHeaders() {}
}
