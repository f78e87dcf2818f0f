package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * holdfast as users run it: {@code java -jar target/holdfast.jar serve} in its own process, so that
 * it can be killed (SIGKILL) or stopped (SIGTERM) and started again on the same data directory.
 */
final class HoldfastProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target", "holdfast.jar");

  private final Path dataDir;
  private final Path log;
  private final int port;
  private final String token = UUID.randomUUID().toString();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  HoldfastProcess(Path dataDir) {
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.port = freePort();
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(
          JAR + " is missing: the crash tests need the packaged jar (mvn verify)");
    }
  }

  /**
   * Starts holdfast; {@code extraEnv} e.g. HOLDFAST_TEST_CRASH_AT. Waits until /healthz answers.
   */
  void start(Map<String, String> extraEnv) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.add("serve");
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("HOLDFAST_LISTEN", "127.0.0.1:" + port);
    env.put("HOLDFAST_API_TOKEN", token);
    env.put("HOLDFAST_DATA_DIR", dataDir.toString());
    env.put("HOLDFAST_RECONCILE_INTERVAL", "2s");
    env.remove("HOLDFAST_TEST_CRASH_AT");
    env.putAll(extraEnv);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plusSeconds(30);
    while (!answers()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "holdfast exited at start (" + process.exitValue() + "): " + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("holdfast did not answer within 30 s: " + tail());
      }
      pause(100);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Waits (bounded) for the process to exit by itself, e.g. at its crash point; its exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("holdfast still running after " + timeout + ": " + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** SIGTERM, then waits (bounded); how long the exit took. */
  Duration term(Duration timeout) {
    long t0 = System.nanoTime();
    process.destroy();
    awaitExit(timeout);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** SIGKILL. */
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET()).orElseThrow();
  }

  JsonNode post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()))
        .orElseThrow();
  }

  Optional<JsonNode> group(String name) {
    return send(HttpRequest.newBuilder(uri("/api/v1/groups/" + name)).GET());
  }

  List<JsonNode> runs(String group) {
    List<JsonNode> out = new ArrayList<>();
    get("/api/v1/runs?limit=1000&group=" + group).forEach(out::add);
    return out;
  }

  String tail() {
    try {
      String s = Files.readString(log);
      return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private Optional<JsonNode> send(HttpRequest.Builder b) {
    b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return Optional.empty();
      }
      if (r.statusCode() >= 300) {
        throw new AssertionError("holdfast answered " + r.statusCode() + ": " + r.body());
      }
      return Optional.of(r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean answers() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    kill();
  }
}
