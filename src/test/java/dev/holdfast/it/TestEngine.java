package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two real engines .ci/setup-env.sh runs: bookworm's Docker 20.10 (classic overlay2 image
 * store) and sid's Docker 28 beside it (containerd image store, no iptables rules, no default
 * bridge). Each is reached with {@code docker -H <host>}; one that does not answer fails the test
 * with the reason (never a skip).
 *
 * <p>On SID, containers on one user network cannot reach each other by default: bookworm's dockerd
 * sets the FORWARD policy to DROP, bridged frames pass iptables here (br_netfilter), and sid's
 * dockerd (no iptables) adds no ACCEPT rule for its bridges. A test that needs such traffic names
 * the bridge ({@code -o com.docker.network.bridge.name=<br>}), adds {@code iptables -I DOCKER-USER
 * -i <br> -o <br> -j ACCEPT} and deletes that rule again. Give SID's networks subnets that no host
 * route uses: bookworm's engine does not know them.
 */
enum TestEngine {
  BOOKWORM("unix:///var/run/docker.sock", "20.10."),
  SID("unix:///run/docker-sid.sock", "28.");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final String versionPrefix;

  TestEngine(String host, String versionPrefix) {
    this.host = host;
    this.versionPrefix = versionPrefix;
  }

  /** The Docker host URI, e.g. for {@code DOCKER_HOST} or holdfast's engine. */
  String host() {
    return host;
  }

  /** {@code docker -H <host> args...} as a command line. */
  List<String> cli(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  Cmd.Result run(String... args) {
    return Cmd.run(Docker.CALL, cli(args));
  }

  /** A docker command against this engine that must succeed; its trimmed stdout. */
  String ok(String... args) {
    Cmd.Result r = run(args);
    if (!r.ok()) {
      throw new AssertionError(
          "docker -H " + host + " " + String.join(" ", args) + " failed: " + r.describe());
    }
    return r.out().strip();
  }

  /**
   * The engine's server version; fails when it does not answer or is not the release setup-env.sh
   * runs there.
   */
  String version() {
    Cmd.Result r =
        Cmd.run(Duration.ofSeconds(20), cli("version", "--format", "{{.Server.Version}}"));
    if (!r.ok()) {
      throw new AssertionError(
          this
              + " engine on "
              + host
              + " does not answer (.ci/setup-env.sh starts it): "
              + r.describe());
    }
    String version = r.out().strip();
    if (!version.startsWith(versionPrefix)) {
      throw new AssertionError(
          this + " engine on " + host + " runs " + version + ", expected " + versionPrefix + "x");
    }
    return version;
  }

  /** {@code docker inspect} of one container, or empty when there is none by that name/id. */
  Optional<JsonNode> inspect(String container) {
    Cmd.Result r = run("container", "inspect", container);
    if (!r.ok()) {
      if (r.err().contains("No such")) {
        return Optional.empty();
      }
      throw new AssertionError("docker -H " + host + " inspect " + container + ": " + r.describe());
    }
    try {
      return Optional.of(JSON.readTree(r.out()).get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
