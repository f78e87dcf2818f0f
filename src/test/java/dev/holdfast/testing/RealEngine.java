package dev.holdfast.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real-engine environment of an integration test class ({@code @ExtendWith(RealEngine.class)},
 * or through {@code SeedGroup}): the engine the tests' holdfast manages must answer (the test
 * fails, never skips, when it does not), the test images are built once per JVM, and what earlier
 * JVMs of these tests left behind when they were killed is removed from both engines.
 */
public final class RealEngine implements BeforeAllCallback {

  private static final Duration BUILD_WAIT = Duration.ofMinutes(10);
  private static boolean done;

  @Override
  public void beforeAll(ExtensionContext context) {
    ready();
  }

  /** What {@link #beforeAll} does, for set-ups that start an environment themselves. */
  public static synchronized void ready() {
    Docker engine = Docker.local();
    if (!engine.answers()) {
      // never skip: these tests exist to run against a real engine
      throw new AssertionError(
          "Docker engine unreachable on "
              + engine.host()
              + ": start it with .ci/setup-env.sh (the README test command does); "
              + engine.run(Duration.ofSeconds(20), "info").describe());
    }
    if (done) {
      return;
    }
    Path script = Path.of(System.getProperty("user.dir"), "src/test/docker/build-images.sh");
    if (!Files.isExecutable(script)) {
      throw new AssertionError(script + " missing or not executable");
    }
    Cmd.Result r = Cmd.run(BUILD_WAIT, script.toString());
    if (!r.ok()) {
      throw new AssertionError("build-images.sh failed: " + r.describe());
    }
    Docker.removeStale();
    done = true;
  }
}
