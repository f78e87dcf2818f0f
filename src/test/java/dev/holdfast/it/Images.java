package dev.holdfast.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Per JVM: the engine must answer, the test images are built once, stale leftovers go. */
final class Images {

  private static final Duration BUILD_WAIT = Duration.ofMinutes(10);
  private static boolean done;

  private Images() {}

  static synchronized void ready() {
    if (!Docker.reachable()) {
      // never skip: these tests exist to run against a real engine
      throw new AssertionError(
          "Docker engine unreachable (`docker info` failed): start it with .ci/setup-env.sh; "
              + Cmd.run(Duration.ofSeconds(20), "docker", "info").describe());
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
    Cleanup.removeStale();
    done = true;
  }
}
