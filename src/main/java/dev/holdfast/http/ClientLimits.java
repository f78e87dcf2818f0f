package dev.holdfast.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client may send to the hooks and Watchtower's API: a request budget per second
 * (resilience4j rate limiters, one per client address), so one noisy sender cannot starve the
 * others, and bodies of at most {@link #MAX_BODY} bytes. Bounded: past {@link #MAX_CLIENTS}
 * addresses the table is cleared, which only ever hands out fresh budgets.
 */
public final class ClientLimits {

  static final int MAX_CLIENTS = 10_000;

  /** The largest body any endpoint reads; larger ones are refused before they are read. */
  static final int MAX_BODY = 1024 * 1024;

  /** Seconds until a client's budget refills, for Retry-After. */
  private static final int RETRY_AFTER_SECONDS = 1;

  private final RateLimiterConfig config;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param perSecond requests each client may send per second
   */
  public ClientLimits(int perSecond) {
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(RETRY_AFTER_SECONDS))
            .timeoutDuration(Duration.ZERO)
            .build();
  }

  /** Takes one request from the client's budget; false when it is spent for this second. */
  boolean allow(String client) {
    if (limiters.size() > MAX_CLIENTS) {
      limiters.clear();
    }
    return limiters
        .computeIfAbsent(client, c -> RateLimiter.of("client", config))
        .acquirePermission();
  }

  /**
   * Before a hook or {@code /v1} handler: 429 over the budget, 413 for a body announced too big.
   */
  void admit(Context ctx) {
    if (!allow(ctx.ip())) {
      ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
      throw new ApiException(429, "too many requests from " + ctx.ip() + "; slow down");
    }
    String length = ctx.header("Content-Length");
    if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > MAX_BODY) {
      throw new ApiException(413, "body over " + MAX_BODY + " bytes");
    }
  }

  /** The body, refused when it is over the limit although no length was announced. */
  static byte[] body(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BODY) {
      throw new ApiException(413, "body over " + MAX_BODY + " bytes");
    }
    return body;
  }
}
