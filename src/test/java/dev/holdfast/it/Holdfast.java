package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.app.Config;
import dev.holdfast.app.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** holdfast running in this JVM, and a client for its HTTP API. */
final class Holdfast implements AutoCloseable {

  /** An HTTP answer: status and JSON body. */
  record Response(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String token = UUID.randomUUID().toString();

  /** The secret every hook sender presents in these tests. */
  final String hookSecret = "hook-" + UUID.randomUUID();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Service service;
  private final String base;

  Holdfast(Path dataDir) {
    this(dataDir, System.getenv("DOCKER_HOST"));
  }

  /** holdfast managing the engine at {@code dockerHost} (null: the default socket). */
  Holdfast(Path dataDir, String dockerHost) {
    Map<String, String> env = new HashMap<>();
    env.put("HOLDFAST_LISTEN", "127.0.0.1:0");
    env.put("HOLDFAST_API_TOKEN", token);
    env.put("HOLDFAST_DATA_DIR", dataDir.toString());
    env.put("HOLDFAST_RECONCILE_INTERVAL", "2s");
    env.put("HOLDFAST_HOOK_SECRET", hookSecret);
    if (dockerHost != null && !dockerHost.isBlank()) {
      env.put("DOCKER_HOST", dockerHost);
    }
    try {
      service = new Service(Config.from(env));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    service.start();
    base = "http://127.0.0.1:" + service.port();
  }

  /** http://127.0.0.1:port, for senders (a registry) that call holdfast themselves. */
  String base() {
    return base;
  }

  /** POSTs a body as a hook sender would (its own headers, no API token). */
  Response hook(String path, String contentType, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r =
          http.send(
              b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Response post(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** POST .../update with the given query (e.g. "wait=true"); the run (or plan) JSON. */
  Response update(String group, String query) {
    return post("/api/v1/groups/" + group + "/update" + (query.isEmpty() ? "" : "?" + query));
  }

  JsonNode run(String id) {
    return ok(get("/api/v1/runs/" + id));
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

  /** Whether the API lists the group with every member attached. */
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

  private Response send(HttpRequest.Builder builder) {
    builder.header("Authorization", "Bearer " + token);
    try {
      HttpResponse<String> r =
          http.send(
              builder.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode ok(Response r) {
    if (r.status() != 200) {
      throw new AssertionError("holdfast answered " + r.status() + ": " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    service.close();
  }
}
