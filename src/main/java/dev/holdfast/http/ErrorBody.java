package dev.holdfast.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error answer of the edge: {@code {"error": "...", "status": N}}. Under Watchtower's API
 * ({@code /v1}) it also carries {@code api_version} and {@code timestamp}, as every answer of that
 * API does, so Watchtower's clients read holdfast's errors like its own.
 */
record ErrorBody(Clock clock) {

  void write(Context ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    if (ctx.path().startsWith("/v1/")) {
      body.put("api_version", WatchtowerApiEndpoints.API_VERSION);
      body.put("timestamp", clock.instant().toString());
    }
    ctx.status(status).json(body);
  }
}
