package dev.zgres.consumers.gateway.feed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a record of {@code chat.messages} into the frame every subscriber of its channel gets:
 * {@code moderation} for a {@code message_moderated} verdict, {@code message} (the event verbatim)
 * for anything else. A {@code member_left} / {@code member_removed} of a channel that only members
 * read also ends that user's read access at this record. A value that is not a JSON object is not
 * sent (null): the bridge carries it, but no client could use it.
 */
public final class RecordFrames {
  private final ObjectReader json;
  private final ServerFrames frames;

  public RecordFrames(ObjectMapper json, ServerFrames frames) {
    // The value is spliced into frames verbatim: it must be exactly one JSON value.
    this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.frames = frames;
  }

  /** The channel id a record key names, or -1 when it is not one. */
  public static int channelId(byte[] key) {
    if (key == null || key.length == 0 || key.length > 10) {
      return -1;
    }
    long id = 0;
    for (byte b : key) {
      if (b < '0' || b > '9') {
        return -1;
      }
      id = id * 10 + (b - '0');
    }
    return id >= 1 && id <= Integer.MAX_VALUE ? (int) id : -1;
  }

  public WindowEntry entry(int channelId, String epoch, long offset, byte[] value) {
    if (value == null) {
      return null;
    }
    JsonNode event;
    try {
      event = json.readTree(value);
    } catch (IOException e) {
      return null;
    }
    if (event == null || !event.isObject()) {
      return null;
    }
    String type = event.path("event").asText("");
    if (type.equals("message_moderated")) {
      List<String> reasons = new ArrayList<>();
      event.path("reasons").forEach(r -> reasons.add(r.asText()));
      return new WindowEntry(
          offset,
          frames.moderation(
              channelId,
              epoch,
              offset,
              event.path("message_id").asLong(),
              event.path("risk_level").asText(""),
              reasons),
          0);
    }
    int revokes = 0;
    if ((type.equals("member_left") || type.equals("member_removed"))
        && !event.path("channel_type").asText("").equals("public")) {
      revokes = event.path("user_id").asInt(0);
    }
    return new WindowEntry(
        offset,
        frames.message(channelId, epoch, offset, new String(value, StandardCharsets.UTF_8)),
        revokes);
  }
}
