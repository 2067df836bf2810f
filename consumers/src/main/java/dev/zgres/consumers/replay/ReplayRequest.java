package dev.zgres.consumers.replay;

import dev.zgres.events.EventHeaders;
import dev.zgres.events.Topics;
import dev.zgres.runtime.settings.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What to replay, checked before anything is read: the topic, optionally one key (which picks the
 * partition), the window and the target. {@code --channel-id N} is {@code --key N}, on {@code
 * chat.messages} unless another topic is named.
 *
 * @param key the record key to keep (UTF-8), or null for every record
 */
public record ReplayRequest(
    String topic, String key, ReplayBound since, ReplayBound until, ReplayTarget target) {

  /** The options as the user gave them (null when absent). */
  public record Options(
      String topic,
      String key,
      Integer channelId,
      String since,
      String until,
      String toTopic,
      boolean toOriginal) {}

  /**
   * Checks the options, collecting every problem.
   *
   * @throws ConfigException listing each problem, naming its option
   */
  public static ReplayRequest from(Options o, Instant now) {
    List<String> problems = new ArrayList<>();
    String topic = o.topic() == null || o.topic().isBlank() ? null : o.topic().trim();
    if (o.key() != null && o.channelId() != null) {
      problems.add(
          "--key and --channel-id cannot be used together (--channel-id N is --key N on "
              + Topics.CHAT_MESSAGES
              + ")");
    }
    if (topic == null) {
      if (o.channelId() != null) {
        topic = Topics.CHAT_MESSAGES;
      } else {
        problems.add(
            "--topic is required (or --channel-id, which reads " + Topics.CHAT_MESSAGES + ")");
      }
    }
    String key = o.channelId() != null ? String.valueOf(o.channelId()) : o.key();
    ReplayBound since = bound("--since", o.since(), now, problems);
    ReplayBound until = bound("--until", o.until(), now, problems);
    if (since instanceof ReplayBound.AtTime s
        && until instanceof ReplayBound.AtTime u
        && s.time().isAfter(u.time())) {
      problems.add("--since (" + s.time() + ") is after --until (" + u.time() + ")");
    }
    if (since instanceof ReplayBound.AtOffset s
        && until instanceof ReplayBound.AtOffset u
        && s.offset() > u.offset()) {
      problems.add(
          "--since (offset " + s.offset() + ") is after --until (offset " + u.offset() + ")");
    }
    ReplayTarget target = new ReplayTarget.JsonLines();
    if (o.toTopic() != null && o.toOriginal()) {
      problems.add("--to-topic and --to-original cannot be used together");
    } else if (o.toTopic() != null) {
      String to = o.toTopic().trim();
      if (to.isEmpty()) {
        problems.add("--to-topic must not be empty");
      } else if (to.equals(topic)) {
        problems.add("--to-topic must differ from --topic (was " + to + ")");
      }
      target = new ReplayTarget.ToTopic(to);
    } else if (o.toOriginal()) {
      if (topic != null && !topic.endsWith(EventHeaders.DLQ_SUFFIX)) {
        problems.add(
            "--to-original re-drives a dead-letter topic (*"
                + EventHeaders.DLQ_SUFFIX
                + "), not "
                + topic);
      }
      target = new ReplayTarget.ToOriginal();
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ReplayRequest(topic, key, since, until, target);
  }

  private static ReplayBound bound(String option, String text, Instant now, List<String> problems) {
    try {
      return ReplayBound.parse(text, now);
    } catch (IllegalArgumentException e) {
      problems.add(option + " " + e.getMessage());
      return new ReplayBound.Open();
    }
  }
}
