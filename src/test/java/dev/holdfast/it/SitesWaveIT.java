package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waves within a budget larger than one, on the real engine: three sites of 192.0.2.53/32 with
 * {@code maxWithdrawn=2} and a fourth site announcing an unrelated 192.0.2.54/32, all running the
 * tag one registry push moves. Two of the three go together, the third after one of them gave its
 * slot back; the unrelated prefix's site updates at the same time as them (a single lock per engine
 * would serialise it); the peer, sampled every 100 ms, never lacks a route for either prefix.
 */
class SitesWaveIT {

  static final String P = "192.0.2.53/32";
  static final String Q = "192.0.2.54/32";

  @RegisterExtension
  static final SiteFleet fleet =
      SiteFleet.of("wave").site("a", P).site("b", P).site("c", P).site("d", Q);

  @Test
  void onePushGoesInWavesOfTwoAndTheUnrelatedPrefixDoesNotWait() {
    Holdfast holdfast =
        fleet.holdfast(
            fleet.name, Map.of("HOLDFAST_INSTANCE", "host1", "HOLDFAST_BUDGETS", P + "=2/1"));
    for (SiteFleet.Site s : fleet.sites()) {
      await("holdfast lists " + s.group)
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.attached(s.group, 2));
    }
    await("holdfast knows every site")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String body = holdfast.get("/api/v1/prefixes").body().toString();
              return body.contains("\"announcing\":3") && body.contains("\"announcing\":1");
            });
    fleet.notifyRegistryTo(holdfast);
    List<JsonNode> runs = new ArrayList<>();
    try (RouteSampler sampler = fleet.sampler(Duration.ofMinutes(4))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 5);
      Instant pushed = Instant.now();

      fleet.registry.push("holdfast-test/app:v2", SiteFleet.APP_TAG);

      for (SiteFleet.Site s : fleet.sites()) {
        runs.add(SitesIT.ended(holdfast, s, pushed));
      }
      String timeline = sampler.timeline(P);
      assertThat(sampler.absent(P)).as("no route for " + P + ": " + timeline).isZero();
      assertThat(sampler.minPaths(P)).as(timeline).isEqualTo(1);
      assertThat(sampler.absent(Q))
          .as("the one-site prefix updates as always: withdrawn while its app is replaced")
          .isPositive();
      System.out.printf(
          "[SitesWaveIT] paths of %s: %s%n[SitesWaveIT] paths of %s: %s%n",
          P, timeline, Q, sampler.timeline(Q));
    }
    for (JsonNode r : runs) {
      assertThat(r.path("state").asText()).as(r.toPrettyString()).isEqualTo("succeeded");
    }
    List<RunSteps.Away> p = runs.subList(0, 3).stream().map(RunSteps::away).toList();
    RunSteps.Away q = RunSteps.away(runs.get(3));
    long overlappingPairs = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < 3; j++) {
        overlappingPairs += p.get(i).overlaps(p.get(j)) ? 1 : 0;
      }
    }
    assertThat(overlappingPairs).as("two of the three away together: " + p).isPositive();
    // the most sites away at one instant: the count at each window's start (where it rises)
    long most = 0;
    for (RunSteps.Away x : p) {
      most =
          Math.max(
              most,
              p.stream()
                  .filter(y -> !y.from().isAfter(x.from()) && y.to().isAfter(x.from()))
                  .count());
    }
    assertThat(most).as("at most two of the three away at once: " + p).isEqualTo(2);
    assertThat(p.stream().anyMatch(q::overlaps))
        .as("the unrelated prefix's site is away at the same time as a site of " + P + ": " + q)
        .isTrue();
    for (SiteFleet.Site s : fleet.sites()) {
      assertThat(fleet.served(s)).as(s.toString()).isEqualTo("v2");
    }
    fleet.awaitConsistent(Duration.ofSeconds(30));
  }
}
