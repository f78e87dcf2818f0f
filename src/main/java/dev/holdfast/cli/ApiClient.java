package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of holdfast's HTTP API, for the CLI commands. */
final class ApiClient {

  /** An answer: status and JSON body. */
  record Answer(int status, JsonNode body) {
    String error() {
      return body.path("error").asText(body.toString());
    }
  }

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  ApiClient(String base, String token) {
    this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.token = token;
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r =
        http.send(b.timeout(Duration.ofMinutes(31)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
    return new Answer(r.statusCode(), body);
  }

  /** The exit code for an error answer. */
  static int exitFor(int status) {
    return switch (status) {
      case 404 -> ExitCodes.NOT_FOUND;
      case 409 -> ExitCodes.REFUSED;
      case 401, 403 -> ExitCodes.UNREACHABLE;
      case 400 -> ExitCodes.USAGE;
      default -> ExitCodes.FAILED;
    };
  }
}
