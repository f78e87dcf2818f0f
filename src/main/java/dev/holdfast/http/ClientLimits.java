package dev.holdfast.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request budget per client (resilience4j rate limiters, one per client address), so one noisy
 * sender cannot starve the others. Bounded: past {@link #MAX_CLIENTS} addresses the table is
 * cleared, which only ever hands out fresh budgets.
 */
public final class ClientLimits {

  static final int MAX_CLIENTS = 10_000;

  private final RateLimiterConfig config;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param perSecond requests each client may send per second
   */
  public ClientLimits(int perSecond) {
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO)
            .build();
  }

  /** Takes one request from the client's budget; false when it is spent for this second. */
  public boolean allow(String client) {
    if (limiters.size() > MAX_CLIENTS) {
      limiters.clear();
    }
    return limiters
        .computeIfAbsent(client, c -> RateLimiter.of("client", config))
        .acquirePermission();
  }

  /** Seconds until the client's budget refills, for Retry-After. */
  public static int retryAfterSeconds() {
    return 1;
  }
}
