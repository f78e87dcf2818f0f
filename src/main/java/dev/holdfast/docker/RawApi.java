package dev.holdfast.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.holdfast.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Engine API calls made as plain JSON over docker-java's transport, for answers and requests that
 * docker-java's model would lose fields of (container inspect, create, pull progress).
 */
final class RawApi {

  private final DockerHttpClient http;
  private final ObjectMapper json;
  private final String prefix;

  RawApi(DockerHttpClient http, ObjectMapper json, String apiVersion) {
    this.http = http;
    this.json = json;
    this.prefix = apiVersion == null ? "" : "/v" + apiVersion;
  }

  JsonNode get(String what, String path) {
    return call(what, "GET", path, null, Map.of());
  }

  /** A GET with extra headers (e.g. {@code X-Registry-Auth}); their values are never logged. */
  JsonNode get(String what, String path, Map<String, String> headers) {
    return call(what, "GET", path, null, headers);
  }

  JsonNode post(String what, String path, JsonNode body) {
    return call(what, "POST", path, body, Map.of());
  }

  /** A call whose listed error statuses mean "already so" (304 not modified, 404 gone). */
  void idempotent(String what, String method, String path, int... alreadyDone) {
    try (DockerHttpClient.Response r = http.execute(request(method, path, null, Map.of()))) {
      int status = r.getStatusCode();
      String text = text(r.getBody());
      for (int ok : alreadyDone) {
        if (status == ok) {
          return;
        }
      }
      if (status >= 300) {
        throw DockerErrors.forStatus(what, status, message(text));
      }
    } catch (IOException | RuntimeException e) {
      throw DockerErrors.translate(what, e);
    }
  }

  /**
   * A POST whose answer is a stream of JSON objects (pull progress); each is handed over. The
   * headers (e.g. {@code X-Registry-Auth}) are sent, never logged.
   */
  void postStream(
      String what, String path, Map<String, String> headers, Consumer<JsonNode> onObject) {
    try (DockerHttpClient.Response r = http.execute(request("POST", path, null, headers))) {
      if (r.getStatusCode() >= 300) {
        throw DockerErrors.forStatus(what, r.getStatusCode(), message(text(r.getBody())));
      }
      json.readerFor(JsonNode.class).<JsonNode>readValues(r.getBody()).forEachRemaining(onObject);
    } catch (IOException | RuntimeException e) {
      throw DockerErrors.translate(what, e);
    }
  }

  private JsonNode call(
      String what, String method, String path, JsonNode body, Map<String, String> headers) {
    try (DockerHttpClient.Response r = http.execute(request(method, path, body, headers))) {
      String text = text(r.getBody());
      if (r.getStatusCode() >= 300) {
        throw DockerErrors.forStatus(what, r.getStatusCode(), message(text));
      }
      return text.isBlank() ? json.nullNode() : json.readTree(text);
    } catch (IOException | RuntimeException e) {
      throw DockerErrors.translate(what, e);
    }
  }

  private DockerHttpClient.Request request(
      String method, String path, JsonNode body, Map<String, String> headers) throws IOException {
    DockerHttpClient.Request.Builder b =
        DockerHttpClient.Request.builder().method(method).path(prefix + path);
    headers.forEach(b::putHeader);
    if (body != null) {
      b.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
    }
    return b.build();
  }

  private String message(String body) {
    try {
      JsonNode n = json.readTree(body);
      return n != null && n.has("message") ? n.get("message").asText() : body;
    } catch (IOException e) {
      return body; // not JSON: the body itself is the best message we have
    }
  }

  private static String text(InputStream in) throws IOException {
    return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static EngineException pullError(String ref, String message) {
    return new EngineException("pull " + ref + ": " + message);
  }
}
