package dev.holdfast.it;

import static dev.holdfast.it.SiteFleet.DOCKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one-host budget on the real engine, as users run it: two sites (holder, app, BIRD router with
 * the {@code bird} strategy and BIRD's default timers but for the README's BGP lines) announce
 * 192.0.2.53/32 to one upstream peer, and one holdfast manages both, fed by the registry's real
 * notifications. The peer's table is sampled every 100 ms throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SitesIT {

  static final String P = "192.0.2.53/32";

  @RegisterExtension static final SiteFleet fleet = SiteFleet.of("sites").site("a", P).site("b", P);

  static Holdfast holdfast;

  @BeforeAll
  static void holdfast() {
    holdfast = fleet.holdfast(fleet.name, Map.of("HOLDFAST_INSTANCE", "host1"));
    for (SiteFleet.Site s : fleet.sites()) {
      await("holdfast lists " + s.group)
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.attached(s.group, 2));
    }
    await("holdfast knows both sites of " + P)
        .atMost(Duration.ofSeconds(30))
        .until(() -> announcing(P) == 2);
    fleet.notifyRegistryTo(holdfast);
  }

  @AfterAll
  static void status() {
    if (holdfast != null) {
      System.out.println("[SitesIT] prefixes at the end: " + prefixes());
    }
  }

  static JsonNode prefixes() {
    return HoldfastClient.ok(holdfast.get("/api/v1/prefixes"));
  }

  static JsonNode prefix(String p) {
    for (JsonNode n : prefixes().path("prefixes")) {
      if (n.path("prefix").asText().equals(p)) {
        return n;
      }
    }
    return HoldfastClient.ok(holdfast.get("/api/v1/prefixes")).path("none");
  }

  static int announcing(String p) {
    return prefix(p).path("announcing").asInt(-1);
  }

  static JsonNode ended(SiteFleet.Site s, Instant after) {
    return ended(holdfast, s, after);
  }

  /** The newest run of the site's group once it ended (within 3 min). */
  static JsonNode ended(HoldfastClient holdfast, SiteFleet.Site s, Instant after) {
    JsonNode[] out = new JsonNode[1];
    await("a run of " + s.group + " created after " + after + " ends")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              List<JsonNode> runs =
                  holdfast.runs(s.group).stream()
                      .filter(r -> Instant.parse(r.path("createdAt").asText()).isAfter(after))
                      .toList();
              if (runs.isEmpty()) {
                return false;
              }
              out[0] = RunSteps.newest(runs);
              return !HoldfastClient.UNDER_WAY.contains(out[0].path("state").asText());
            });
    return out[0];
  }

  @Test
  @Order(1)
  void onePushUpdatesTheSitesOneAfterTheOtherAndThePeerAlwaysHasARoute() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    Instant pushed;
    JsonNode runA;
    JsonNode runB;
    try (RouteSampler sampler = fleet.sampler(Duration.ofMinutes(4))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 5);
      pushed = Instant.now();

      fleet.registry.push("holdfast-test/app:v2", SiteFleet.APP_TAG);

      runA = ended(a, pushed);
      runB = ended(b, pushed);
      String timeline = sampler.timeline(P);
      assertThat(sampler.absent(P)).as("samples with no route for " + P + ": " + timeline).isZero();
      assertThat(sampler.minPaths(P)).as(timeline).isEqualTo(1);
      System.out.printf(
          "[SitesIT] one push, two sites: %d samples, never without a route; timeline %s%n",
          sampler.samples().size(), timeline);
    }
    assertThat(runA.path("state").asText()).as(runA.toPrettyString()).isEqualTo("succeeded");
    assertThat(runB.path("state").asText()).as(runB.toPrettyString()).isEqualTo("succeeded");
    RunSteps.Away awayA = RunSteps.away(runA);
    RunSteps.Away awayB = RunSteps.away(runB);
    assertThat(awayA.overlaps(awayB)).as(awayA + " / " + awayB).isFalse();
    JsonNode second = awayA.from().isBefore(awayB.from()) ? runB : runA;
    JsonNode first = second == runA ? runB : runA;
    assertThat(RunSteps.started(second, "withdraw"))
        .as("the second site withdraws only once the first gave its slot back")
        .isAfterOrEqualTo(RunSteps.ended(first, "release"));
    assertThat(RunSteps.took(second, "admit")).isGreaterThan(Duration.ofSeconds(1));
    System.out.printf(
        "[SitesIT] first site away %d ms, second waited at admit %d ms%n",
        Duration.between(RunSteps.away(first).from(), RunSteps.away(first).to()).toMillis(),
        RunSteps.took(second, "admit").toMillis());
    assertThat(fleet.served(a)).isEqualTo("v2");
    assertThat(fleet.served(b)).isEqualTo("v2");
    fleet.awaitConsistent(Duration.ofSeconds(30));
  }

  @Test
  @Order(2)
  void theLastAnnouncingSiteIsNotWithdrawnForAnUpdate() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    fleet.notifyRegistryTo(); // this test starts its one run itself
    fleet.registry.push("holdfast-test/app:v1", SiteFleet.APP_TAG);
    DOCKER.ok("stop", b.app);
    await("b counts as withdrawn").atMost(Duration.ofSeconds(30)).until(() -> announcing(P) == 1);
    String appA = DOCKER.id(a.app);
    Instant asked = Instant.now();
    HoldfastClient.Response r = holdfast.update(a.group, "wait=false");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
    JsonNode queued = r.body();
    String id = queued.path("id").asText();
    try (RouteSampler sampler = fleet.sampler(Duration.ofMinutes(3))) {
      await("a's run waits for the budget")
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.run(id).path("waiting").isTextual());
      JsonNode waiting = holdfast.run(id);
      assertThat(waiting.path("waiting").asText())
          .contains(P)
          .contains("host1/" + b.group + " withdrawn");
      JsonNode shown = prefix(P);
      assertThat(shown.path("waiting").toString()).contains(id);
      // it holds here: the app is untouched and the peer keeps a's route
      Registry.pause(3000);
      assertThat(holdfast.run(id).path("waiting").isTextual()).isTrue();
      assertThat(DOCKER.id(a.app)).isEqualTo(appA);
      assertThat(SiteFleet.hasRouteVia(fleet.peerRoutes(), P, a)).isTrue();

      Instant back = Instant.now();
      DOCKER.ok("start", b.app);
      JsonNode run = ended(a, asked);
      assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
      assertThat(RunSteps.ended(run, "admit")).isAfter(back);
      assertThat(sampler.absent(P)).as(sampler.timeline(P)).isZero();
    }
    assertThat(fleet.served(a)).isEqualTo("v1");
    fleet.awaitConsistent(Duration.ofSeconds(30));
  }

  @Test
  @Order(3)
  void aBrokenSiteIsHealedWithoutWaiting() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    DOCKER.ok("stop", a.app); // a is away: planned work on b would wait now
    await("a counts as withdrawn").atMost(Duration.ofSeconds(30)).until(() -> announcing(P) == 1);
    Instant replaced = Instant.now();

    fleet.recreateHolder(b);

    JsonNode heal = ended(b, replaced);
    assertThat(heal.path("kind").asText()).isEqualTo("heal");
    assertThat(heal.path("state").asText()).as(heal.toPrettyString()).isEqualTo("succeeded");
    assertThat(heal.path("plan").asText()).contains("as a repair (never waits");
    assertThat(RunSteps.took(heal, "admit")).isLessThan(Duration.ofSeconds(2));
    fleet.awaitPeer(
        "b's route is back",
        Duration.ofSeconds(60),
        () -> SiteFleet.hasRouteVia(fleet.peerRoutes(), P, b));
    DOCKER.ok("start", a.app);
    fleet.awaitConsistent(Duration.ofSeconds(60));
    await("both announce again").atMost(Duration.ofSeconds(30)).until(() -> announcing(P) == 2);
  }

  @Test
  @Order(4)
  void aSiteWhoseUpdateRollsBackHaltsTheWaveUntilAnOperatorResumes() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    fleet.notifyRegistryTo(holdfast);
    String servedA = fleet.served(a);
    String servedB = fleet.served(b);
    Instant pushed = Instant.now();
    try (RouteSampler sampler = fleet.sampler(Duration.ofMinutes(4))) {
      fleet.registry.push("holdfast-test/app:broken", SiteFleet.APP_TAG);

      await("one site rolled back and the prefix is halted")
          .atMost(Duration.ofMinutes(2))
          .until(() -> prefix(P).path("halted").isTextual());
      JsonNode halted = prefix(P);
      assertThat(halted.path("halted").asText()).contains("rolled-back");
      await("the other site's run waits on the halt")
          .atMost(Duration.ofSeconds(30))
          .until(() -> prefix(P).path("waiting").toString().contains("is halted"));
      JsonNode cli = HoldfastClient.ok(holdfast.get("/api/v1/prefixes"));
      assertThat(cli.toString()).contains("holdfast resume " + P);
      Registry.pause(3000);
      assertThat(prefix(P).path("waiting")).hasSize(1); // still waiting, nothing stopped
      assertThat(fleet.served(a)).isEqualTo(servedA);
      assertThat(fleet.served(b)).isEqualTo(servedB);

      Instant resumed = Instant.now();
      JsonNode r =
          HoldfastClient.ok(holdfast.post("/api/v1/prefixes/resume?prefix=192.0.2.53%2F32"));
      assertThat(r.path("resumed").asBoolean()).isTrue();

      JsonNode runA = ended(a, pushed);
      JsonNode runB = ended(b, pushed);
      assertThat(runA.path("state").asText()).isEqualTo("rolled-back");
      assertThat(runB.path("state").asText()).isEqualTo("rolled-back");
      JsonNode later =
          RunSteps.ended(runA, "admit").isAfter(RunSteps.ended(runB, "admit")) ? runA : runB;
      assertThat(RunSteps.ended(later, "admit")).as("admitted after the resume").isAfter(resumed);
      assertThat(sampler.absent(P)).as(sampler.timeline(P)).isZero();
    }
    // the second failure halted it again: resume, so the fleet ends clean
    assertThat(prefix(P).path("halted").isTextual()).isTrue();
    HoldfastClient.ok(holdfast.post("/api/v1/prefixes/resume?prefix=192.0.2.53%2F32"));
    assertThat(fleet.served(a)).isEqualTo(servedA);
    assertThat(fleet.served(b)).isEqualTo(servedB);
    fleet.awaitConsistent(Duration.ofSeconds(30));
  }
}
