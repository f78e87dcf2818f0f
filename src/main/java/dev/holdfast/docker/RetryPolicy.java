package dev.holdfast.docker;

import java.time.Duration;

/**
 * How engine calls are retried on transient failures: exponential backoff from {@code initial},
 * times {@code multiplier} per attempt, capped at {@code max}.
 */
public record RetryPolicy(int maxAttempts, Duration initial, double multiplier, Duration max) {

  /** About 25 s of trying: covers a dockerd restart. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(9, Duration.ofMillis(250), 2.0, Duration.ofSeconds(5));

  /** The wait before attempt {@code n + 1} (n counts from 1). */
  public Duration waitAfter(int attempt) {
    double ms = initial.toMillis() * Math.pow(multiplier, attempt - 1);
    return Duration.ofMillis((long) Math.min(ms, max.toMillis()));
  }
}
