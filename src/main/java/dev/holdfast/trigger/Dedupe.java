package dev.holdfast.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers keys for a window, so that a retried delivery or a burst of identical pushes acts once.
 * Bounded: past {@code capacity} keys the oldest are forgotten first (they would expire first
 * anyway, since every key lives for the same window).
 */
public final class Dedupe {

  private final Clock clock;
  private final Duration window;
  private final int capacity;
  private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();
  private final DedupeLog log;

  public Dedupe(Clock clock, Duration window, int capacity) {
    this(clock, window, capacity, DedupeLog.NONE);
  }

  /** A dedupe that writes new keys through to the log and starts from its keys in the window. */
  public Dedupe(Clock clock, Duration window, int capacity, DedupeLog log) {
    this.clock = clock;
    this.window = window;
    this.capacity = capacity;
    this.log = log;
    log.since(clock.instant().minus(window)).entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> seen.put(e.getKey(), e.getValue()));
  }

  /**
   * Records the key.
   *
   * @return when the key was first seen within the window, if it was; empty for a new key
   */
  public synchronized Optional<Instant> seen(String key) {
    Instant now = clock.instant();
    expire(now);
    Instant first = seen.get(key);
    if (first != null) {
      return Optional.of(first);
    }
    seen.put(key, now);
    while (seen.size() > capacity) {
      Iterator<Map.Entry<String, Instant>> oldest = seen.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return Optional.empty();
  }

  /**
   * Keeps the key across restarts (writes it to the log). Only keys that guard an action need it: a
   * delivery that started nothing may as well be looked at again after a restart, and writing every
   * key would cost each delivery a database write.
   */
  public synchronized void keep(String key) {
    Instant first = seen.get(key);
    if (first != null) {
      log.record(key, first);
    }
  }

  /** Whether the key was seen within the window, without recording it (for dry-runs). */
  public synchronized Optional<Instant> peek(String key) {
    expire(clock.instant());
    return Optional.ofNullable(seen.get(key));
  }

  public synchronized int size() {
    return seen.size();
  }

  private void expire(Instant now) {
    Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Instant> e = it.next();
      if (e.getValue().plus(window).isAfter(now)) {
        return; // insertion order is expiry order
      }
      it.remove();
    }
  }
}
