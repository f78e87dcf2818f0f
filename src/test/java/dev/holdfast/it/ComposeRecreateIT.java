package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What each Compose version does to a group on each engine when its holder is recreated, as
 * holdfast has to expect it: a holder (fixed IP on an internal network), an app and a BIRD router
 * joined with {@code network_mode: service:holder}. Compose v1 (1.29) and v2 (2.40) on bookworm's
 * Docker 20.10 and v2 on sid's Docker 28; v1 on Docker 28 with the containerd store cannot recreate
 * anything (it reads the image's {@code ContainerConfig}, which that store no longer reports).
 */
@ExtendWith(RealEngine.class)
class ComposeRecreateIT {

  private static final String SESSION = UUID.randomUUID().toString().substring(0, 6);

  @Test
  void v1OnBookworm() throws IOException {
    try (Group g = Group.up(Compose.Version.V1, Docker.BOOKWORM)) {
      assertThat(g.names())
          .containsExactlyInAnyOrder(g.v1Name("holder"), g.v1Name("router"), g.app);
      assertThat(g.label(g.app, "com.docker.compose.image")).isNull();

      String oldHolder = g.recreateHolder();
      g.compose.up("-d");

      // v1's config hash names the holder service, not its container: members stay behind
      assertThat(g.networkModes()).containsOnly("container:" + oldHolder);
    }
  }

  @Test
  void v2OnBookworm() throws IOException {
    v2(Docker.BOOKWORM);
  }

  @Test
  void v2OnSid() throws IOException {
    v2(Docker.SID);
  }

  @Test
  void v1OnSidCannotRecreate() throws IOException {
    try (Group g = Group.up(Compose.Version.V1, Docker.SID)) {
      Cmd.Result r = g.compose.run("up", "-d", "--force-recreate", "holder");

      assertThat(r.ok()).as(r.describe()).isFalse();
      assertThat(r.out() + r.err()).contains("KeyError: 'ContainerConfig'");
    }
  }

  private static void v2(Docker engine) throws IOException {
    try (Group g = Group.up(Compose.Version.V2, engine)) {
      assertThat(g.names())
          .containsExactlyInAnyOrder(g.v2Name("holder"), g.v2Name("router"), g.app);
      assertThat(g.label(g.app, "com.docker.compose.image"))
          .isEqualTo(engine.ok("image", "inspect", "-f", "{{.Id}}", "holdfast-test/app:v1"));
      String hashBefore = g.label(g.app, "com.docker.compose.config-hash");

      String oldHolder = g.recreateHolder();
      assertThat(g.networkModes()).containsOnly("container:" + oldHolder);
      g.compose.up("-d");

      // v2 hashes the member after resolving service:holder to container:<id>
      assertThat(g.networkModes()).containsOnly("container:" + g.id(g.v2Name("holder")));
      assertThat(g.label(g.app, "com.docker.compose.config-hash")).isNotEqualTo(hashBefore);
    }
  }

  /** One Compose project on one engine, removed again (with its temp directory) on close. */
  private static final class Group implements AutoCloseable {
    final Docker engine;
    final Compose compose;
    final Path dir;
    final String app;

    private Group(Docker engine, Compose compose, Path dir) {
      this.engine = engine;
      this.compose = compose;
      this.dir = dir;
      this.app = compose.project() + "-app";
    }

    static Group up(Compose.Version version, Docker engine) throws IOException {
      engine.requireVersion();
      String project =
          ("hf-compose-" + SESSION + "-" + version + "-" + engine).toLowerCase(Locale.ROOT);
      String subnet = freeSubnet();
      String base = subnet.substring(0, subnet.lastIndexOf('.') + 1);
      int first = Integer.parseInt(subnet.substring(base.length(), subnet.indexOf('/')));
      String ip = base + (first + 2);
      Path dir = Files.createTempDirectory("hf-compose");
      Files.writeString(
          dir.resolve("docker-compose.yml"),
          String.join(
              "\n",
              "services:",
              "  holder:",
              "    image: holdfast-test/holder:1",
              "    networks:",
              "      anet:",
              "        ipv4_address: " + ip,
              "  app:",
              "    image: holdfast-test/app:v1",
              "    container_name: " + project + "-app",
              "    network_mode: \"service:holder\"",
              "  router:",
              "    image: holdfast-test/bird:1",
              "    network_mode: \"service:holder\"",
              "    cap_add: [NET_ADMIN]",
              "    environment:",
              "      BIRD_ROLE: router",
              "      ROUTER_ID: " + ip,
              "      LOCAL_AS: \"65001\"",
              "      PEER_AS: \"65002\"",
              "      NEIGHBOR: " + base + (first + 3),
              "      PREFIX4: 192.0.2.53/32",
              "networks:",
              "  anet:",
              "    internal: true",
              "    ipam:",
              "      config:",
              "        - subnet: " + subnet,
              ""));
      Group g = new Group(engine, new Compose(version, engine, dir, project), dir);
      try {
        g.compose.up("-d");
      } catch (AssertionError e) {
        g.close();
        throw e;
      }
      return g;
    }

    /** {@code up -d --force-recreate holder}; the id of the holder it replaced. */
    String recreateHolder() {
      String holder =
          compose.names().stream().filter(n -> n.contains("holder")).findFirst().orElseThrow();
      String old = id(holder);
      compose.up("-d", "--force-recreate", "holder");
      assertThat(id(holder)).isNotEqualTo(old);
      return old;
    }

    /** v1 names containers {@code <project>_<service>_<n>} (without container_name). */
    String v1Name(String service) {
      return compose.project() + "_" + service + "_1";
    }

    /** v2 names containers {@code <project>-<service>-<n>} (without container_name). */
    String v2Name(String service) {
      return compose.project() + "-" + service + "-1";
    }

    List<String> names() {
      return compose.names();
    }

    String id(String name) {
      return engine.id(name);
    }

    String label(String name, String key) {
      return engine.label(name, key);
    }

    /** The network modes of the members (everything but the holder). */
    List<String> networkModes() {
      return names().stream()
          .filter(n -> !n.contains("holder"))
          .map(n -> Docker.networkMode(engine.mustInspect(n)))
          .toList();
    }

    @Override
    public void close() {
      try {
        compose.down();
      } finally {
        SeedGroup.deleteTree(dir);
      }
    }
  }

  /**
   * A /28 of the documentation ranges that no route on this host uses. Both engines' bridges show
   * up as routes, so this also keeps sid's networks off bookworm's; it takes slices from the end,
   * away from the tests that take them from the start (TestNet).
   */
  static String freeSubnet() {
    String routes =
        Cmd.ok(Duration.ofSeconds(10), "ip", "-4", "-o", "route", "show", "table", "all");
    List<String> used =
        routes
            .lines()
            .map(l -> l.split("\\s+"))
            .map(f -> f[0].equals("local") || f[0].equals("broadcast") ? f[1] : f[0])
            .filter(d -> d.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?"))
            .map(d -> d.contains("/") ? d : d + "/32")
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    used.addAll(TestNet.hostTaken()); // the registries' addresses (an egress proxy here)
    List<String> candidates = new ArrayList<>(TestNet.candidates());
    Collections.reverse(candidates);
    return candidates.stream()
        .filter(c -> used.stream().noneMatch(u -> TestNet.overlaps(u, c)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no free documentation /28; routes:\n" + routes));
  }
}
