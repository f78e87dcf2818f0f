package dev.holdfast.trigger;

import java.time.Instant;
import java.util.Map;

/** Where dedupe keys outlive the process, so a delivery retried across a restart acts once. */
public interface DedupeLog {

  /** Records a key first seen at this instant. */
  void record(String key, Instant at);

  /** Keys first seen at or after this instant, with when; older ones may be dropped. */
  Map<String, Instant> since(Instant from);

  /** Nothing kept. */
  DedupeLog NONE =
      new DedupeLog() {
        @Override
        public void record(String key, Instant at) {}

        @Override
        public Map<String, Instant> since(Instant from) {
          return Map.of();
        }
      };
}
