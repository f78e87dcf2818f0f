package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A small client of holdfast's HTTP API, for the CLI commands. It uses HttpURLConnection rather
 * than java.net.http: the latter sets up TLS eagerly even for plain http, which costs the CLI about
 * a second of start-up (measured by bench/bench.sh).
 */
final class ApiClient {

  /** An answer: status and JSON body. */
  record Answer(int status, JsonNode body) {
    String error() {
      return body.path("error").asText(body.toString());
    }
  }

  private static final int CONNECT_MILLIS = 5_000;
  private static final int READ_MILLIS = 31 * 60_000; // longer than the server's ?wait=true bound

  private final String base;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  Answer get(String path) throws IOException {
    return send("GET", path);
  }

  Answer post(String path) throws IOException {
    return send("POST", path);
  }

  private Answer send(String method, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
    try {
      c.setRequestMethod(method);
      c.setConnectTimeout(CONNECT_MILLIS);
      c.setReadTimeout(READ_MILLIS);
      if (token != null && !token.isEmpty()) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      if (method.equals("POST")) {
        c.setDoOutput(true);
        c.getOutputStream().close();
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(status, text.isBlank() ? json.nullNode() : json.readTree(text));
    } finally {
      c.disconnect();
    }
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
