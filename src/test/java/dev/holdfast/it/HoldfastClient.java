package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tests' one client of holdfast's HTTP API, whether holdfast runs in this JVM ({@link
 * Holdfast}) or as the packaged jar in its own process ({@link HoldfastProcess}). API calls carry
 * the API token; {@link #hook} posts as a hook sender does, with its own credentials only. (The
 * CLI's {@code cli.ApiClient} is package-private to the CLI and sends no bodies.)
 */
class HoldfastClient {

  /** An HTTP answer: status and JSON body (a JSON null for an empty body). */
  record Response(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longer than any {@code ?wait=true} run of the tests. */
  private static final Duration CALL = Duration.ofMinutes(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  HoldfastClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** http://127.0.0.1:port, for senders (a registry) that call holdfast themselves. */
  String base() {
    return base;
  }

  Response get(String path) {
    return send(api(path).GET(), CALL);
  }

  Response post(String path) {
    return send(api(path).POST(HttpRequest.BodyPublishers.noBody()), CALL);
  }

  /** POSTs a body as a hook sender would (its own headers, no API token). */
  Response hook(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        Duration.ofSeconds(30));
  }

  /** POST .../update with the given query (e.g. "wait=true"); the run (or plan) JSON. */
  Response update(String group, String query) {
    return post("/api/v1/groups/" + group + "/update" + (query.isEmpty() ? "" : "?" + query));
  }

  JsonNode run(String id) {
    return ok(get("/api/v1/runs/" + id));
  }

  /** The states of a run not ended yet. */
  static final List<String> UNDER_WAY = List.of("queued", "running");

  boolean underWay(String id) {
    return UNDER_WAY.contains(run(id).path("state").asText());
  }

  /** Waits (at most {@code atMost}, polling every {@code every}) for the run to end; the run. */
  JsonNode awaitEnd(String id, Duration atMost, Duration every) {
    org.awaitility.Awaitility.await("run " + id + " ends")
        .atMost(atMost)
        .pollInterval(every)
        .until(() -> !underWay(id));
    return run(id);
  }

  List<JsonNode> runs(String group) {
    List<JsonNode> out = new ArrayList<>();
    ok(get("/api/v1/runs?limit=1000&group=" + group)).forEach(out::add);
    return out;
  }

  Optional<JsonNode> group(String name) {
    Response r = get("/api/v1/groups/" + name);
    return r.status() == 404 ? Optional.empty() : Optional.of(ok(r));
  }

  List<String> groupNames() {
    List<String> names = new ArrayList<>();
    ok(get("/api/v1/groups")).forEach(g -> names.add(g.path("name").asText()));
    return names;
  }

  /** Whether the API lists the group with exactly {@code members} members, all attached. */
  boolean attached(String group, int members) {
    return group(group)
        .map(
            g -> {
              int n = 0;
              for (JsonNode m : g.path("members")) {
                if (!m.path("attached").asBoolean()) {
                  return false;
                }
                n++;
              }
              return n == members;
            })
        .orElse(false);
  }

  /** Whether /healthz answers 200 within 2 s. */
  boolean answers() {
    return answers(http, URI.create(base + "/healthz"));
  }

  /** Whether a GET of {@code uri} answers 200 within 2 s. */
  static boolean answers(HttpClient http, URI uri) {
    try {
      HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The body of a 200 answer; any other status fails the test with the answer. */
  static JsonNode ok(Response r) {
    if (r.status() != 200) {
      throw new AssertionError("holdfast answered " + r.status() + ": " + r.body());
    }
    return r.body();
  }

  private HttpRequest.Builder api(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token);
  }

  private Response send(HttpRequest.Builder builder, Duration timeout) {
    try {
      HttpResponse<String> r =
          http.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
