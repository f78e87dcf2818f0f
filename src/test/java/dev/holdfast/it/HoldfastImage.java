package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * holdfast's image, built from the top-level Dockerfile unmodified but for its two base arguments:
 * Debian bookworm bases made with mmdebstrap by src/test/docker/build-bases.sh (setup-env runs it;
 * no public registry here). Built on bookworm's engine once per JVM; Docker's layer cache makes a
 * build of unchanged sources take seconds.
 */
final class HoldfastImage {

  static final String IMAGE = "holdfast-test/holdfast:it";
  static final String BUILD_BASE = "holdfast-test/build-base:bookworm";
  static final String RUNTIME_BASE = "holdfast-test/runtime-base:bookworm";

  private static boolean built;

  private HoldfastImage() {}

  /** Builds {@link #IMAGE} unless this JVM built it already; prints the build time and size. */
  static synchronized String build() {
    if (built) {
      return IMAGE;
    }
    Docker docker = Docker.BOOKWORM; // the tests' images and bases are built on bookworm's engine
    Instant t0 = Instant.now();
    Cmd.Result r =
        Cmd.run(
            Duration.ofMinutes(20),
            docker
                .cli(
                    "build",
                    "--network",
                    "host", // the build reaches Maven Central; nothing else uses the host network
                    "-q",
                    "-t",
                    IMAGE,
                    "--build-arg",
                    "BUILD_IMAGE=" + BUILD_BASE,
                    "--build-arg",
                    "RUNTIME_IMAGE=" + RUNTIME_BASE,
                    repository().toString())
                .toArray(String[]::new));
    assertThat(r.ok()).as("docker build: " + r.err() + r.out()).isTrue();
    long size = Long.parseLong(docker.ok("image", "inspect", "-f", "{{.Size}}", IMAGE).strip());
    System.out.printf(
        "[HoldfastImage] docker build %d s, image %d MB%n",
        Duration.between(t0, Instant.now()).toSeconds(), size / 1_000_000);
    built = true;
    return IMAGE;
  }

  /** The checkout the tests run in: the Dockerfile's build context. */
  static Path repository() {
    return Path.of("").toAbsolutePath();
  }
}
