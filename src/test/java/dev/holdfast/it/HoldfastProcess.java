package dev.holdfast.it;

import dev.holdfast.testing.Docker;
import dev.holdfast.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * holdfast as users run it: {@code java -jar target/holdfast.jar serve} in its own process, so that
 * it can be killed (SIGKILL) or stopped (SIGTERM) and started again on the same data directory; the
 * tests' client of its HTTP API.
 */
final class HoldfastProcess extends HoldfastClient implements AutoCloseable {

  private static final Path JAR = Path.of("target", "holdfast.jar");
  private static final Path TEST_CLASSES = Path.of("target", "test-classes");

  /** The JVM settings the image and scripts/serve.sh ship: the tests run holdfast under them. */
  private static final Path JVM_OPTIONS = Path.of("src", "main", "jvm", "jvm.options");

  private final Path dataDir;
  private final String dockerHost;
  private final Path log;
  private final int port;
  private final String token;
  private Process process;

  /** holdfast managing the engine the tests' holdfast manages ({@link Docker#local()}). */
  HoldfastProcess(Path dataDir) {
    this(dataDir, Docker.local());
  }

  /** holdfast managing {@code engine} ({@code DOCKER_HOST}). */
  HoldfastProcess(Path dataDir, Docker engine) {
    this(dataDir, engine.host(), Ports.free(), UUID.randomUUID().toString());
  }

  private HoldfastProcess(Path dataDir, String dockerHost, int port, String token) {
    super("http://127.0.0.1:" + port, token);
    this.dataDir = dataDir;
    this.dockerHost = dockerHost;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.port = port;
    this.token = token;
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(
          JAR + " is missing: the crash tests need the packaged jar (mvn verify)");
    }
  }

  /**
   * Starts holdfast; {@code extraEnv} e.g. HOLDFAST_TEST_CRASH_AT. Waits until /healthz answers.
   */
  void start(Map<String, String> extraEnv) {
    process = launch(extraEnv);
    Instant deadline = Instant.now().plusSeconds(30);
    while (!answers()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "holdfast exited at start (" + process.exitValue() + "): " + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("holdfast did not answer within 30 s: " + tail());
      }
      Registry.pause(100);
    }
  }

  /**
   * The process: the packaged jar's {@code serve} on this port, data directory and token, its
   * output appended to the log; {@code extraEnv} on top (a crash point makes it {@link
   * CrashPointMain} from the same jar). Everything about how the jar is launched is here.
   */
  private Process launch(Map<String, String> extraEnv) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + JVM_OPTIONS);
    if (extraEnv.containsKey(CrashPointMain.CRASH_AT)) {
      // the same jar, with the tests' entry point that dies at the crash point (CrashPointMain)
      command.add("-cp");
      command.add(JAR + java.io.File.pathSeparator + TEST_CLASSES);
      command.add(CrashPointMain.class.getName()); // it is serve itself: no subcommand
    } else {
      command.add("-jar");
      command.add(JAR.toString());
      command.add("serve");
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("MALLOC_ARENA_MAX", "2"); // as the image and scripts/serve.sh set it
    env.put("HOLDFAST_LISTEN", "127.0.0.1:" + port);
    env.put("HOLDFAST_API_TOKEN", token);
    env.put("HOLDFAST_DATA_DIR", dataDir.toString());
    env.put("HOLDFAST_RECONCILE_INTERVAL", "2s");
    env.put("HOLDFAST_DOCKER_HOST", dockerHost);
    env.remove(CrashPointMain.CRASH_AT);
    env.putAll(extraEnv);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  String tail() {
    try {
      String s = Files.readString(log);
      return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    kill();
  }
}
