package dev.holdfast.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; its sleeper advances it instead of waiting. */
public final class MutableClock extends Clock {

  private Instant now = Instant.parse("2026-01-01T10:00:00Z");

  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  public dev.holdfast.probe.Sleeper sleeper() {
    return this::advance;
  }
}
