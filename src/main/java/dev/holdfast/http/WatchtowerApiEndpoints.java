package dev.holdfast.http;

import dev.holdfast.dispatch.UpdateSessions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watchtower's HTTP API, for CI pipelines that call Watchtower: {@code /v1/update} does the safe
 * update of the members matching its {@code image=} filters and answers Watchtower's summary;
 * {@code /v1/metrics} serves Watchtower's metric families beside holdfast's.
 */
record WatchtowerApiEndpoints(
    UpdateSessions sessions, Credentials credentials, Metrics metrics, Clock clock) {

  static final String API_VERSION = "v1";

  /** How long a synchronous {@code /v1/update} waits for its runs. */
  private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(30);

  /** When to retry an untargeted update refused because another one runs. */
  private static final String BUSY_RETRY_AFTER = "30";

  /** Blocks until the runs end (200 with the summary), unless {@code ?async=true} (202). */
  void update(Context ctx) throws InterruptedException {
    credentials.api(ctx, Credentials.Guarded.WATCHTOWER_API);
    boolean async = Requests.flag(ctx, "async");
    UpdateSessions.Session session;
    try {
      session = sessions.start(ctx.queryParams("image"));
    } catch (UpdateSessions.BusyException e) {
      metrics.sessionSkipped();
      ctx.header("Retry-After", BUSY_RETRY_AFTER);
      throw new ApiException(429, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "image: " + e.getMessage());
    }
    if (async) {
      session.detach();
      ctx.status(202);
      return;
    }
    UpdateSessions.Summary s = session.await(UPDATE_TIMEOUT);
    metrics.session(s);
    ctx.json(answer(s));
  }

  void metrics(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.WATCHTOWER_API);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** Watchtower's answer, field for field, with holdfast's groups beside its counts. */
  private Map<String, Object> answer(UpdateSessions.Summary s) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scanned", s.scanned());
    summary.put("updated", s.updated());
    summary.put("failed", s.failed());
    summary.put("rolled_back", s.rolledBack());
    summary.put("skipped", s.skipped());
    summary.put("fresh", s.fresh());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("summary", summary);
    body.put("groups", s.groups());
    body.put(
        "timing",
        Map.of(
            "duration_ms",
            s.duration().toMillis(),
            "duration",
            s.duration().toMillis() / 1000.0 + "s"));
    body.put("timestamp", clock.instant().toString());
    body.put("api_version", API_VERSION);
    return body;
  }
}
