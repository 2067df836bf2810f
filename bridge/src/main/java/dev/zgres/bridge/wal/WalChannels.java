package dev.zgres.bridge.wal;

import dev.zgres.bridge.channel.ChannelSelector;
import dev.zgres.bridge.metrics.BridgeMeters;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@code zgres:} messages of the slot the bridge carries: every one, unless its channel is
 * excluded on purpose by {@code ZGRES_WAL_EXCLUDE}. The slot is confirmed past a skipped message,
 * so a skip is never silent: each is counted by exclusion entry, and each excluded channel is
 * logged the first time it is seen. {@code ZGRES_CHANNELS} (a LISTEN concept) only names the
 * metrics label of the channels it matches; any other channel is labelled {@value #OTHER_LABEL}.
 */
final class WalChannels {
  private static final Logger LOG = LoggerFactory.getLogger(WalChannels.class);
  static final String OTHER_LABEL = "*";
  private static final int LOGGED_LIMIT = 10_000;

  private final ChannelSelector labels;
  private final ChannelSelector excluded;
  private final BridgeMeters meters;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final Set<String> carried = ConcurrentHashMap.newKeySet();

  WalChannels(ChannelSelector labels, ChannelSelector excluded, BridgeMeters meters) {
    this.labels = labels;
    this.excluded = excluded;
    this.meters = meters;
  }

  /**
   * The metrics label of an event on {@code channel} to carry; empty when the channel is excluded
   * (the skip is then counted, and logged once per channel).
   */
  Optional<String> labelFor(String channel) {
    if (!excluded.isEmpty()) {
      Optional<String> exclusion = excluded.specFor(channel);
      if (exclusion.isPresent()) {
        meters.walExcluded(exclusion.get());
        if (logged.size() < LOGGED_LIMIT && logged.add(channel)) {
          LOG.info(
              "wal: skipping events on channel {} (excluded by ZGRES_WAL_EXCLUDE entry {});"
                  + " counted in zgres_wal_excluded_events_total, logged once per channel",
              channel,
              exclusion.get());
        }
        return Optional.empty();
      }
    }
    carried.add(channel);
    return Optional.of(labels.specFor(channel).orElse(OTHER_LABEL));
  }

  /** How many distinct channels had events carried so far. */
  int carriedCount() {
    return carried.size();
  }
}
