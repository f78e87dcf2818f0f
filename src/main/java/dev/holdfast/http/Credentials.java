package dev.holdfast.http;

import dev.holdfast.hook.Headers;
import dev.holdfast.hook.HookSignatures;
import dev.holdfast.hook.RegistryKind;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one credential check of the edge; every endpoint but {@code /healthz} and {@code /readyz}
 * passes it before it reads anything it acts on. Its variants:
 *
 * <ul>
 *   <li><b>API token</b> ({@code HOLDFAST_API_TOKEN}), for {@code /api} and Watchtower's {@code
 *       /v1}: {@code Authorization: Bearer <token>}. The scheme may be left out (Watchtower's
 *       maintained fork sends the bare token). Without a token, status and history are open, runs
 *       are off (403) and {@code /v1} is refused (401).
 *   <li><b>A hook sender's secret</b>: the sender's own ({@code HOLDFAST_HOOK_SECRET_<SENDER>}),
 *       else the shared one ({@code HOLDFAST_HOOK_SECRET}), presented in a header or as {@code
 *       ?token=}: Watchtower's in {@code Authorization}, each registry's as that registry can send
 *       it ({@link HookSignatures}: a static header, the query, or an HMAC of the body). Without a
 *       secret, hooks are refused (401).
 *   <li><b>Watchtower falls back to the API token</b>, which Watchtower's own API uses too: one
 *       secret for both when Watchtower has none of its own.
 *   <li><b>{@code --insecure-no-auth}</b> opens whatever has no credential configured. {@code
 *       Config.validate} allows it on a loopback listener only, before this server exists.
 *   <li>Comparisons are constant-time, of SHA-256 digests so that neither a secret's length nor a
 *       prefix leaks. No credential is logged or answered; a refused hook is logged (sender and
 *       client only) and counted.
 * </ul>
 */
public final class Credentials {

  private static final Logger log = LoggerFactory.getLogger(Credentials.class);

  /** What an endpoint guarded by the API token serves: that decides what holds without one. */
  enum Guarded {
    /** Status and history: open while no API token is configured. */
    READS,
    /** Runs: off (403) while no API token is configured, unless --insecure-no-auth. */
    RUNS,
    /** Watchtower's API: refused (401) while no API token is configured, unless insecure. */
    WATCHTOWER_API
  }

  private final Optional<String> apiToken;
  private final Optional<String> hookSecret;
  private final Map<String, String> senderSecrets;
  private final boolean insecureNoAuth;
  private final Metrics metrics;

  /**
   * @param hookSecret the secret every hook sender presents unless it has its own
   * @param senderSecrets each sender's own secret, by lower-case sender ("watchtower", "github")
   * @param insecureNoAuth open what has no credential (the caller allowed it on loopback only)
   * @param metrics where refused hooks are counted
   */
  public Credentials(
      Optional<String> apiToken,
      Optional<String> hookSecret,
      Map<String, String> senderSecrets,
      boolean insecureNoAuth,
      Metrics metrics) {
    this.apiToken = apiToken;
    this.hookSecret = hookSecret;
    this.senderSecrets = Map.copyOf(senderSecrets);
    this.insecureNoAuth = insecureNoAuth;
    this.metrics = metrics;
  }

  /** A call guarded by the API token. */
  void api(Context ctx, Guarded guarded) {
    if (apiToken.isEmpty()) {
      if (guarded == Guarded.RUNS && !insecureNoAuth) {
        throw new ApiException(
            403,
            "mutating endpoints are off: set HOLDFAST_API_TOKEN, or run with --insecure-no-auth on"
                + " a loopback address");
      }
      if (guarded == Guarded.WATCHTOWER_API && !insecureNoAuth) {
        throw new ApiException(401, "API token not configured (HOLDFAST_API_TOKEN)");
      }
      return;
    }
    Optional<String> given = authorization(ctx);
    if (given.isEmpty()) {
      throw new ApiException(401, "missing bearer token");
    }
    if (!same(given.get(), apiToken.get())) {
      throw new ApiException(401, "wrong token");
    }
  }

  /** A Watchtower notification or pre-update question: its secret in the header or the query. */
  void watchtower(Context ctx) {
    hook(
        ctx,
        "watchtower",
        secret ->
            authorization(ctx).filter(given -> same(given, secret)).isPresent()
                || query(ctx).filter(given -> same(given, secret)).isPresent());
  }

  /** A registry delivery: its sender's secret, presented as that registry can. */
  void registry(Context ctx, RegistryKind kind, Headers headers, byte[] body) {
    hook(ctx, kind.id(), secret -> HookSignatures.verify(kind, headers, body, secret, query(ctx)));
  }

  private void hook(Context ctx, String sender, Predicate<String> presented) {
    Optional<String> secret = secretOf(sender);
    if (secret.isEmpty()) {
      if (!insecureNoAuth) {
        refuse(ctx, sender, "no secret configured for " + sender + " hooks (HOLDFAST_HOOK_SECRET)");
      }
      return;
    }
    if (!presented.test(secret.get())) {
      refuse(ctx, sender, "wrong or missing " + sender + " credentials");
    }
  }

  private Optional<String> secretOf(String sender) {
    return Optional.ofNullable(senderSecrets.get(sender))
        .or(() -> hookSecret)
        .or(() -> sender.equals("watchtower") ? apiToken : Optional.empty());
  }

  private void refuse(Context ctx, String sender, String why) {
    metrics.hook(sender, "refused");
    log.warn("{} hook from {} refused: {}", sender, ctx.ip(), why);
    throw new ApiException(401, why);
  }

  /** {@code Authorization: Bearer <t>} (any case of the scheme), or the bare {@code <t>}. */
  private static Optional<String> authorization(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.trim();
    return Optional.of(h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : h);
  }

  private static Optional<String> query(Context ctx) {
    return Optional.ofNullable(ctx.queryParam("token"));
  }

  private static boolean same(String given, String secret) {
    return MessageDigest.isEqual(sha256(given), sha256(secret));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
