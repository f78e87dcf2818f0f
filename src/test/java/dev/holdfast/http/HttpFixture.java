package dev.holdfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.app.Json;
import dev.holdfast.dispatch.HookService;
import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.dispatch.Waits;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.run.ApiFixture;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.StoreHealth;
import dev.holdfast.testing.MutableClock;
import dev.holdfast.trigger.Dedupe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole HTTP edge over the fake engine's seed group ({@link ApiFixture}), built through the one
 * constructor production uses, listening on a free loopback port; and a client for it.
 */
public final class HttpFixture implements AutoCloseable {

  public static final String TOKEN = "api-token";
  public static final String SECRET = "hook-secret";

  /**
   * How the edge under test is configured.
   *
   * @param token the API token, if any
   * @param hookSecret the secret every hook sender presents unless it has its own
   * @param senderSecrets each sender's own secret
   * @param insecureNoAuth as {@code --insecure-no-auth}
   * @param rate hook and /v1 requests per second per client
   * @param sessions the coordinator /v1/update starts its runs on; empty: the fixture's
   */
  public record Options(
      Optional<String> token,
      Optional<String> hookSecret,
      Map<String, String> senderSecrets,
      boolean insecureNoAuth,
      int rate,
      Optional<Coordinator> sessions) {

    /** API token {@link #TOKEN}, every hook sender's secret {@link #SECRET}. */
    public static Options defaults() {
      return new Options(
          Optional.of(TOKEN), Optional.of(SECRET), Map.of(), false, 1000, Optional.empty());
    }

    public Options withoutToken() {
      return new Options(
          Optional.empty(), hookSecret, senderSecrets, insecureNoAuth, rate, sessions);
    }

    /** No shared hook secret; these senders have their own. */
    public Options secrets(Map<String, String> own) {
      return new Options(token, Optional.empty(), own, insecureNoAuth, rate, sessions);
    }

    public Options insecure() {
      return new Options(token, hookSecret, senderSecrets, true, rate, sessions);
    }

    public Options rate(int perSecond) {
      return new Options(token, hookSecret, senderSecrets, insecureNoAuth, perSecond, sessions);
    }

    public Options sessionsOn(Coordinator coordinator) {
      return new Options(
          token, hookSecret, senderSecrets, insecureNoAuth, rate, Optional.of(coordinator));
    }
  }

  /** An answer: status, body text and headers (names in lower case). */
  public record Answer(int status, String text, Map<String, String> headers) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }
  }

  private final HttpApi api;
  private final StoreHealth store;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpFixture(HttpApi api, StoreHealth store) {
    this.api = api;
    this.store = store;
  }

  public static HttpFixture start(ApiFixture f) {
    return start(f, Options.defaults());
  }

  public static HttpFixture start(ApiFixture f, Options o) {
    MutableClock clock = new MutableClock();
    Metrics metrics = new Metrics();
    StoreHealth store = new StoreHealth();
    HttpApi api =
        new HttpApi(
            new HttpApi.Runs(
                f.groups(),
                f.coordinator(),
                f.keeper(),
                new Waits(),
                f.journal(),
                f.engine(),
                store,
                f.siteReporter()),
            new HttpApi.Triggers(
                new RegistryHooks(),
                new HookService(
                    f.groups(),
                    f.coordinator(),
                    new Dedupe(clock, Duration.ofMinutes(10), 1000),
                    new Dedupe(clock, Duration.ofSeconds(30), 1000)),
                new WatchtowerService(f.groups(), f.coordinator(), () -> {}),
                new UpdateSessions(f.groups(), o.sessions().orElse(f.coordinator()), clock)),
            new Credentials(
                o.token(), o.hookSecret(), o.senderSecrets(), o.insecureNoAuth(), metrics),
            new ClientLimits(o.rate()),
            metrics,
            Json.mapper(),
            clock);
    return new HttpFixture(api.start("127.0.0.1", 0), store);
  }

  /** The store's health as the edge reports it; a test may make it fail. */
  public StoreHealth store() {
    return store;
  }

  public String url() {
    return "http://127.0.0.1:" + api.port();
  }

  /** Sends a request; {@code headers} alternate names and values. */
  public Answer call(String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** Sends raw bytes, for deliveries that are not text. */
  public Answer post(String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> h = new HashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      return new Answer(r.statusCode(), r.body(), h);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    api.stop();
  }
}
