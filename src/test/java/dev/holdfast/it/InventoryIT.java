package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inventory against the real engine's events, with its resync turned off (so only events can
 * tell it) and a reconcile interval of an hour (so no pass reads the engine meanwhile): a change
 * made with the docker CLI shows in the API within a second, and reads stay right with a hundred
 * more containers on the engine. The figures are printed; the benchmark has the targets.
 */
class InventoryIT {

  @RegisterExtension static final SeedGroup env = SeedGroup.of("inv").withoutHoldfast();

  private static final Docker DOCKER = env.engine;
  private static Holdfast holdfast;

  @BeforeAll
  static void start() {
    holdfast =
        Holdfast.start(
            env.tmp.resolve("holdfast-data"),
            DOCKER.host(),
            Map.of("HOLDFAST_INVENTORY_RESYNC", "0", "HOLDFAST_RECONCILE_INTERVAL", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> holdfast.attached(env.group, 2));
  }

  @AfterAll
  static void stop() {
    if (holdfast != null) {
      holdfast.close();
    }
  }

  private static String state(String member) {
    JsonNode g = holdfast.group(env.group).orElseThrow();
    for (JsonNode m : g.path("members")) {
      if (m.path("name").asText().equals(member)) {
        return m.path("state").asText();
      }
    }
    return "absent";
  }

  /** Milliseconds from now until the API shows the member in the state. */
  private static long shows(String member, String wanted) {
    Instant t0 = Instant.now();
    await(member + " " + wanted + " in the API")
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> state(member).equals(wanted));
    return Duration.between(t0, Instant.now()).toMillis();
  }

  @Test
  void aChangeMadeWithTheDockerCliShowsInTheApiWithinASecond() {
    assertThat(state(env.app)).isEqualTo("running");
    DOCKER.ok("kill", env.app);
    long killed = shows(env.app, "exited");
    DOCKER.ok("start", env.app);
    long started = shows(env.app, "running");
    DOCKER.ok("rename", env.app, env.app + "-x");
    long renamed;
    try {
      renamed = shows(env.app + "-x", "running");
    } finally {
      DOCKER.ok("rename", env.app + "-x", env.app);
    }
    shows(env.app, "running");
    System.out.printf(
        "[InventoryIT] engine change to API (resync off): kill %d ms, start %d ms, rename %d ms%n",
        killed, started, renamed);
  }

  @Test
  void readsStayRightWithAHundredMoreContainers() {
    long before = medianRead(30);
    List<String> made = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        made.add(
            DOCKER.runLabelled(
                env.session,
                "--name",
                env.name + "-extra-" + i,
                "--network",
                "none",
                "holdfast-test/holder:1"));
      }
      await("the API still shows the group whole")
          .atMost(Duration.ofSeconds(5))
          .until(() -> holdfast.attached(env.group, 2));
      long after = medianRead(30);
      System.out.printf(
          "[InventoryIT] GET group median: %d us with the group alone, %d us with 100 more"
              + " containers%n",
          before, after);
      assertThat(holdfast.groupNames()).contains(env.group);
    } finally {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(made);
      if (!made.isEmpty()) {
        DOCKER.run(rm.toArray(String[]::new));
      }
    }
  }

  private static long medianRead(int n) {
    long[] us = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HoldfastClient.ok(holdfast.get("/api/v1/groups/" + env.group));
      us[i] = (System.nanoTime() - t0) / 1000;
    }
    Arrays.sort(us);
    return us[n / 2];
  }
}
