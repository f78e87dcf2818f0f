package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's Compose file run the way users run it, with holdfast beside it: real Compose v1
 * (bookworm's 1.29) and v2 (sid's 2.40) on bookworm's Docker 20.10, and v2 on sid's Docker 28
 * (Compose v1 cannot recreate anything there, see {@link ComposeRecreateIT}). One project per
 * combination goes through what users do to it, in order, and after each step the group must be
 * whole (see {@link ComposeSeed#assertWhole}):
 *
 * <ol>
 *   <li>an update through the API (a new app image pushed to the registry; the router's image is
 *       built on the host and must not be pulled), then {@code up -d}; then the router's image
 *       rebuilt on the host under its tag, and another update;
 *   <li>{@code up -d --force-recreate dns-net}: the members keep {@code container:<old id>} until
 *       holdfast heals them; the group keeps its name;
 *   <li>{@code restart dns-net} (same id, new namespace);
 *   <li>{@code up -d} again (v2 recreates the members itself: its config hash covers the holder's
 *       id);
 *   <li>{@code up -d --force-recreate}: Compose recreates holder and members while holdfast may be
 *       healing them.
 * </ol>
 */
@ExtendWith(RealEngine.class)
class ComposeSeedIT {

  private static final Duration WHOLE = Duration.ofSeconds(90);

  static Stream<Arguments> setUps() {
    return Stream.of(
        Arguments.of(Compose.Version.V1, Docker.BOOKWORM),
        Arguments.of(Compose.Version.V2, Docker.BOOKWORM),
        Arguments.of(Compose.Version.V2, Docker.SID));
  }

  @ParameterizedTest(name = "Compose {0} on {1}")
  @MethodSource("setUps")
  void theSeedsComposeFileLivesThroughWhatUsersDoToIt(Compose.Version version, Docker engine)
      throws Exception {
    Path data = Files.createTempDirectory("hfseed-data");
    try (ComposeSeed seed = ComposeSeed.up(version, engine);
        Holdfast holdfast = Holdfast.start(data, engine.host())) {
      String group = seed.holder;
      seed.awaitWhole("v1", WHOLE);
      await("holdfast lists " + group)
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.attached(group, 2));

      // 1. an update through the API, then `up -d`
      seed.registry.publish("holdfast-test/app:v2", "hf/app:live");
      JsonNode run = holdfast.update(group, "wait=true").body();
      assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("succeeded");
      assertThat(run.path("plan").asText())
          .contains(seed.router + ": local image, not pulled")
          .doesNotContain("pull      " + seed.router);
      seed.assertWhole("v2");
      String updated = seed.id(seed.app);
      seed.compose().up("-d");
      seed.awaitWhole("v2", WHOLE);
      boolean recreatedByCompose = !seed.id(seed.app).equals(updated);
      // v2 compares com.docker.compose.image, which holdfast's replacement carries; v1's config
      // hash covers the image id, so it recreates once (the README says so)
      assertThat(recreatedByCompose)
          .as("Compose recreated holdfast's replacement")
          .isEqualTo(version == Compose.Version.V1);

      // 1b. the router's image rebuilt on the host under the same tag: an update without a pull
      String rebuilt = seed.rebuildRouterImage();
      JsonNode routerRun = holdfast.update(group, "wait=true").body();
      assertThat(routerRun.path("state").asText()).as(routerRun.toString()).isEqualTo("succeeded");
      assertThat(routerRun.path("plan").asText())
          .contains(seed.router + ": local image, not pulled (its tag names another image now)")
          .contains("create    " + seed.router + ".holdfast-new-")
          .doesNotContain("pull      ");
      assertThat(seed.inspect(seed.router).path("Image").asText()).isEqualTo(rebuilt);
      seed.awaitWhole("v2", WHOLE);

      // 2. the holder recreated by Compose
      String oldHolder = seed.id(seed.holder);
      seed.compose().up("-d", "--force-recreate", "dns-net");
      assertThat(seed.id(seed.holder)).isNotEqualTo(oldHolder);
      seed.awaitWhole("v2", WHOLE);
      assertOneGroup(holdfast, seed);
      assertThat(healsSince(holdfast, group, 0))
          .as("heals after the holder was recreated")
          .isPositive();

      // 3. the holder restarted
      int heals = healsSince(holdfast, group, 0);
      String holderId = seed.id(seed.holder);
      seed.compose().restart("dns-net");
      assertThat(seed.id(seed.holder)).isEqualTo(holderId);
      seed.awaitWhole("v2", WHOLE);
      assertOneGroup(holdfast, seed);

      // 4. `up -d` again after holdfast healed
      seed.compose().up("-d");
      seed.awaitWhole("v2", WHOLE);
      assertOneGroup(holdfast, seed);

      // 5. Compose recreates everything while holdfast may heal
      seed.compose().up("-d", "--force-recreate");
      seed.awaitWhole("v2", WHOLE);
      assertOneGroup(holdfast, seed);
      await("holdfast sees " + group + " whole")
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.attached(group, 2));
      System.out.printf(
          "[ComposeSeedIT] %s on %s: heals %d after restart, runs:%n%s%n",
          version, engine, healsSince(holdfast, group, heals), RunReport.runs(holdfast, group));
    } finally {
      SeedGroup.deleteTree(data);
    }
  }

  /** The API lists exactly one group for the project, named after the holder, fully attached. */
  private static void assertOneGroup(Holdfast holdfast, ComposeSeed seed) {
    await("holdfast sees " + seed.holder + " whole")
        .atMost(Duration.ofSeconds(30))
        .until(() -> holdfast.attached(seed.holder, 2));
    List<String> names = holdfast.groupNames();
    assertThat(names.stream().filter(n -> n.contains(seed.project)))
        .as("groups of the project")
        .containsExactly(seed.holder);
  }

  private static int healsSince(Holdfast holdfast, String group, int before) {
    int n = 0;
    for (JsonNode r : holdfast.runs(group)) {
      if (r.path("kind").asText().equals("heal") && r.path("state").asText().equals("succeeded")) {
        n++;
      }
    }
    return n - before;
  }
}
