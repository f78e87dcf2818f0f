package dev.holdfast.http;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.run.StoreHealth;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /healthz} and {@code /readyz}: open, for probes that hold no credential. */
record HealthEndpoints(Engine engine, StoreHealth store) {

  /** The process answers. */
  void alive(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  /**
   * Ready when the engine answers. A broken store does not make holdfast unready (status and
   * history are still served) but is reported, and runs are refused.
   */
  void ready(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("store", store.problem().map(p -> "refusing runs: " + p).orElse("ok"));
    try {
      engine.ping();
      body.put("engine", "reachable");
      ctx.json(body);
    } catch (EngineException e) {
      body.put("engine", "unreachable");
      body.put("error", e.getMessage());
      ctx.status(503).json(body);
    }
  }
}
