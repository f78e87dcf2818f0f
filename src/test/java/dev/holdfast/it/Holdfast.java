package dev.holdfast.it;

import dev.holdfast.app.Config;
import dev.holdfast.app.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** holdfast running in this JVM, with the tests' client of its HTTP API. */
final class Holdfast extends HoldfastClient implements AutoCloseable {

  /** The secret every hook sender presents in these tests. */
  final String hookSecret;

  private final Service service;

  private Holdfast(Service service, String token, String hookSecret) {
    super("http://127.0.0.1:" + service.port(), token);
    this.service = service;
    this.hookSecret = hookSecret;
  }

  /** holdfast managing the engine at {@code dockerHost}, started. */
  static Holdfast start(Path dataDir, String dockerHost) {
    return start(dataDir, dockerHost, Map.of());
  }

  /** As {@link #start(Path, String)} with more settings (e.g. {@code HOLDFAST_SCOPE}). */
  static Holdfast start(Path dataDir, String dockerHost, Map<String, String> more) {
    String token = UUID.randomUUID().toString();
    String hookSecret = "hook-" + UUID.randomUUID();
    Map<String, String> env = new HashMap<>();
    env.put("HOLDFAST_LISTEN", "127.0.0.1:0");
    env.put("HOLDFAST_API_TOKEN", token);
    env.put("HOLDFAST_DATA_DIR", dataDir.toString());
    env.put("HOLDFAST_RECONCILE_INTERVAL", "2s");
    env.put("HOLDFAST_HOOK_SECRET", hookSecret);
    env.put("DOCKER_HOST", dockerHost);
    env.putAll(more);
    Service service;
    try {
      service = new Service(Config.from(env));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    service.start();
    return new Holdfast(service, token, hookSecret);
  }

  @Override
  public void close() {
    service.close();
  }
}
