package dev.holdfast.http;

import dev.holdfast.dispatch.HookService;
import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.group.Group;
import dev.holdfast.hook.Headers;
import dev.holdfast.hook.HookSignatures;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.hook.RegistryKind;
import dev.holdfast.hook.WatchtowerHooks;
import dev.holdfast.run.GroupService;
import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import dev.holdfast.trigger.WatchtowerNotice;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where triggers come in: Watchtower's {@code /v1/update} and {@code /v1/metrics}, Watchtower's
 * notifications and pre-update hook, and registry webhooks. Every handler authenticates first,
 * answers within a second (runs are queued, never awaited, except on {@code /v1/update}), and says
 * what it understood.
 */
public final class HookApi {

  private static final Logger log = LoggerFactory.getLogger(HookApi.class);
  static final int MAX_BODY = 1024 * 1024;
  private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(30);

  private final HookService hooks;
  private final WatchtowerService watchtowerRuns;
  private final UpdateSessions sessions;
  private final GroupService groups;
  private final RegistryHooks registries;
  private final WatchtowerHooks watchtower = new WatchtowerHooks();
  private final ClientLimits limits;
  private final Metrics metrics;
  private final Function<String, Optional<String>> secrets;
  private final String apiToken;
  private final boolean insecure;

  /**
   * @param secrets the secret of a sender ("watchtower", "github", ...), if one is configured
   * @param apiToken Watchtower's API token: guards /v1/update and /v1/metrics
   * @param insecure no secrets at all, on loopback only (checked by the caller)
   */
  public HookApi(
      HookService hooks,
      WatchtowerService watchtowerRuns,
      UpdateSessions sessions,
      GroupService groups,
      RegistryHooks registries,
      ClientLimits limits,
      Metrics metrics,
      Function<String, Optional<String>> secrets,
      String apiToken,
      boolean insecure) {
    this.hooks = hooks;
    this.watchtowerRuns = watchtowerRuns;
    this.sessions = sessions;
    this.groups = groups;
    this.registries = registries;
    this.limits = limits;
    this.metrics = metrics;
    this.secrets = secrets;
    this.apiToken = apiToken;
    this.insecure = insecure;
  }

  public void register(JavalinConfig config) {
    config.routes.before("/hooks/*", this::limit);
    config.routes.before("/v1/*", this::limit);
    config.routes.post("/hooks/watchtower", this::watchtowerHook);
    config.routes.get("/hooks/watchtower/pre-update", this::preUpdate);
    config.routes.post("/hooks/watchtower/pre-update", this::preUpdate);
    config.routes.post("/hooks/registry", ctx -> registryHook(ctx, null));
    config.routes.post(
        "/hooks/registry/{kind}", ctx -> registryHook(ctx, kind(ctx.pathParam("kind"))));
    config.routes.get("/v1/update", this::update);
    config.routes.post("/v1/update", this::update);
    config.routes.get("/v1/metrics", this::scrape);
    config.routes.exception(
        MalformedHookException.class,
        (e, ctx) -> {
          Object sender = ctx.attribute("sender");
          metrics.hook(sender == null ? "unknown" : sender.toString(), "malformed");
          ctx.status(400).json(Map.of("error", e.getMessage(), "status", 400));
        });
  }

  private void limit(Context ctx) {
    if (!limits.allow(ctx.ip())) {
      ctx.header("Retry-After", String.valueOf(ClientLimits.retryAfterSeconds()));
      throw new ApiException(429, "too many requests from " + ctx.ip() + "; slow down");
    }
    String length = ctx.header("Content-Length");
    if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > MAX_BODY) {
      throw new ApiException(413, "body over " + MAX_BODY + " bytes");
    }
  }

  // --- registries ------------------------------------------------------------------------

  private static RegistryKind kind(String text) {
    try {
      return RegistryKind.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, e.getMessage());
    }
  }

  private void registryHook(Context ctx, RegistryKind named) {
    byte[] body = body(ctx);
    Headers headers = headers(ctx);
    RegistryKind kind = named != null ? named : registries.detect(headers, body);
    String sender = kind.id();
    ctx.attribute("sender", sender);
    Optional<String> secret = secrets.apply(sender);
    if (!insecure || secret.isPresent()) {
      if (secret.isEmpty()) {
        refuse(ctx, sender, "no secret configured for " + sender + " hooks (HOLDFAST_HOOK_SECRET)");
      }
      if (!HookSignatures.verify(
          kind, headers, body, secret.get(), Optional.ofNullable(ctx.queryParam("token")))) {
        refuse(ctx, sender, "wrong or missing " + sender + " credentials");
      }
    }
    boolean dryRun = dryRun(ctx);
    HookReading reading = registries.read(kind, headers, body);
    HookService.RegistryAnswer answer = hooks.onRegistry(reading, dryRun);
    metrics.hook(sender, outcome(answer));
    ctx.json(answer);
  }

  private static String outcome(HookService.RegistryAnswer a) {
    if (a.pushes().stream().anyMatch(p -> !p.groups().isEmpty())) {
      return "acted";
    }
    if (a.pushes().stream().anyMatch(p -> p.outcome().equals("duplicate"))) {
      return "duplicate";
    }
    return "ignored";
  }

  // --- Watchtower ------------------------------------------------------------------------

  private void watchtowerHook(Context ctx) {
    ctx.attribute("sender", "watchtower");
    byte[] body = body(ctx);
    checkSecret(ctx, "watchtower");
    List<WatchtowerNotice> notices = watchtower.read(ctx.contentType(), body);
    WatchtowerService.WatchtowerAnswer answer = watchtowerRuns.onWatchtower(notices, dryRun(ctx));
    metrics.hook(
        "watchtower",
        answer.notices().stream().anyMatch(n -> n.group() != null) ? "acted" : "ignored");
    ctx.json(answer);
  }

  /**
   * Watchtower's pre-update lifecycle hook asks before it touches a container: holders and group
   * members are refused (409, so {@code wget … || exit 75} makes Watchtower skip them), anything
   * else is allowed. Watchtower then reports a refused stale container {@code Failed} with the
   * exit-75 error, and its notification makes holdfast update a member safely (a holder never).
   */
  private void preUpdate(Context ctx) {
    ctx.attribute("sender", "watchtower");
    checkSecret(ctx, "watchtower");
    String container = ctx.queryParam("container");
    if (container == null || !container.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new ApiException(400, "container: a container name or id expected");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("container", container);
    for (Group g : groups.recent(Duration.ofSeconds(2))) {
      String role = null;
      if (g.holder().map(h -> named(h.name(), h.id(), container)).orElse(false)) {
        role = "holder";
      } else if (g.members().stream()
          .anyMatch(m -> named(m.name(), m.container().id(), container))) {
        role = "member";
      }
      if (role != null) {
        answer.put("allowed", false);
        answer.put("group", g.name());
        answer.put(
            "reason",
            role.equals("holder")
                ? "the holder of group " + g.name() + "; holders are never updated"
                : "a member of group "
                    + g.name()
                    + "; holdfast updates it safely (withdraw, recreate, gate, announce)");
        log.info("Watchtower asked to update {}: refused ({})", container, role);
        ctx.status(409).json(answer);
        return;
      }
    }
    answer.put("allowed", true);
    answer.put("reason", "not in a group holdfast manages");
    ctx.json(answer);
  }

  /** A name, or an id of at least 12 hex digits ({@code $(hostname)} inside a container). */
  private static boolean named(String name, String id, String asked) {
    return name.equals(asked)
        || (asked.length() >= 12 && asked.matches("[0-9a-f]+") && id.startsWith(asked));
  }

  private void update(Context ctx) throws InterruptedException {
    checkApiToken(ctx);
    List<String> images = ctx.queryParams("image");
    boolean async = "true".equalsIgnoreCase(ctx.queryParam("async"));
    UpdateSessions.Session session;
    try {
      session = sessions.start(images);
    } catch (UpdateSessions.BusyException e) {
      metrics.sessionSkipped();
      ctx.header("Retry-After", "30");
      ctx.status(429).json(v1Error(e.getMessage()));
      return;
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
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scanned", s.scanned());
    summary.put("updated", s.updated());
    summary.put("failed", s.failed());
    summary.put("rolled_back", s.rolledBack());
    summary.put("skipped", s.skipped());
    summary.put("fresh", s.fresh());
    body.put("summary", summary);
    body.put("groups", s.groups());
    body.put(
        "timing",
        Map.of(
            "duration_ms",
            s.duration().toMillis(),
            "duration",
            s.duration().toMillis() / 1000.0 + "s"));
    body.put("timestamp", Instant.now().toString());
    body.put("api_version", "v1");
    ctx.json(body);
  }

  private static Map<String, Object> v1Error(String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("api_version", "v1");
    body.put("timestamp", Instant.now().toString());
    return body;
  }

  private void scrape(Context ctx) {
    checkApiToken(ctx);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  // --- helpers ---------------------------------------------------------------------------

  private void checkApiToken(Context ctx) {
    if (apiToken == null) {
      if (insecure) {
        return;
      }
      throw new ApiException(401, "API token not configured (HOLDFAST_API_TOKEN)");
    }
    Optional<String> given = credential(ctx);
    if (given.isEmpty() || !Auth.same(given.get(), apiToken)) {
      throw new ApiException(401, given.isEmpty() ? "missing bearer token" : "wrong token");
    }
  }

  private void checkSecret(Context ctx, String sender) {
    Optional<String> secret = secrets.apply(sender);
    if (secret.isEmpty()) {
      if (insecure) {
        return;
      }
      refuse(ctx, sender, "no secret configured for " + sender + " hooks (HOLDFAST_HOOK_SECRET)");
    }
    Optional<String> given = credential(ctx).or(() -> Optional.ofNullable(ctx.queryParam("token")));
    if (given.isEmpty() || !Auth.same(given.get(), secret.get())) {
      refuse(ctx, sender, "wrong or missing " + sender + " credentials");
    }
  }

  /** {@code Authorization: Bearer <t>} or a bare {@code Authorization: <t>}, as the fork takes. */
  private static Optional<String> credential(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.trim();
    return Optional.of(h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : h);
  }

  private void refuse(Context ctx, String sender, String why) {
    metrics.hook(sender, "refused");
    log.warn("{} hook from {} refused: {}", sender, ctx.ip(), why);
    throw new ApiException(401, why);
  }

  private static boolean dryRun(Context ctx) {
    return "true".equalsIgnoreCase(ctx.queryParam("dryRun"));
  }

  private static byte[] body(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BODY) {
      throw new ApiException(413, "body over " + MAX_BODY + " bytes");
    }
    return body;
  }

  private static Headers headers(Context ctx) {
    Map<String, String> h = new LinkedHashMap<>();
    ctx.headerMap().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
    return Headers.of(h);
  }
}
