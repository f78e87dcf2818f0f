package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link SiteFleet} fixture itself, on the real engine and without holdfast: three sites, two
 * sharing 192.0.2.53/32 and one announcing 192.0.2.54/32, one upstream peer. The peer has the
 * shared prefix over two paths and the other over one; a site that withdraws (BIRD's {@code disable
 * anycast4}, what holdfast's bird strategy runs) leaves the shared prefix reachable over the other
 * site, without a moment with no route; a client in the peer's namespace gets an HTTP answer from
 * the anycast address, which it cannot without the fixture's DOCKER-USER rules, and fails at once
 * when no site announces it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteFleetIT {

  static final String SHARED = "192.0.2.53/32";
  static final String OTHER = "192.0.2.54/32";

  @RegisterExtension
  static final SiteFleet fleet =
      SiteFleet.of("fleet").site("a", SHARED).site("b", SHARED).site("c", OTHER).anycast();

  @Test
  @Order(1)
  void thePeerHasTheSharedPrefixOverTwoPathsAndTheOtherOverOne() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    SiteFleet.Site c = fleet.site("c");
    Map<String, List<PeerRoute>> table = fleet.peerRoutes();

    assertThat(table.keySet()).containsExactlyInAnyOrder(SHARED, OTHER);
    assertThat(table.get(SHARED)).hasSize(2);
    assertThat(SiteFleet.nextHops(table, SHARED)).containsExactlyInAnyOrder(a.ip, b.ip);
    assertThat(table.get(SHARED).stream().filter(PeerRoute::best)).hasSize(1);
    assertThat(table.get(OTHER)).hasSize(1);
    assertThat(SiteFleet.nextHops(table, OTHER)).containsExactly(c.ip);
    assertThat(fleet.sitesOf(SHARED)).containsExactly(a, b);
    for (SiteFleet.Site s : fleet.sites()) {
      fleet.assertConsistent(s);
      assertThat(fleet.served(s)).as("served by " + s).isEqualTo("v1");
    }
    assertThat(fleet.peerProtocols())
        .containsPattern("downstream\\s+BGP.*Established")
        .containsPattern("downstream2\\s+BGP.*Established")
        .containsPattern("downstream3\\s+BGP.*Established");
  }

  @Test
  @Order(2)
  void aClientBehindThePeerGetsAnAnswerFromTheAnycastAddressOnlyThroughTheRules() {
    assertThat(fleet.firewallRules()).hasSize(4); // two per anycast address
    assertThat(fleet.servedAt("192.0.2.53")).isEqualTo("v1");
    assertThat(fleet.servedAt("192.0.2.54")).isEqualTo("v1");
    // the best of the two routes is the one in the peer's kernel
    PeerRoute best =
        fleet.peerRoutes().get(SHARED).stream().filter(PeerRoute::best).findFirst().orElseThrow();
    assertThat(fleet.kernelNextHop("192.0.2.53")).isEqualTo(best.nextHop());
    assertThat(fleet.kernelNextHop("192.0.2.54")).isEqualTo(fleet.site("c").ip);

    fleet.closeFirewall();
    try {
      assertThat(fleet.firewallRules()).isEmpty();
      assertThat(fleet.servedAt("192.0.2.53")).as("without the rules").startsWith("(");
    } finally {
      fleet.openFirewall();
    }
    assertThat(fleet.servedAt("192.0.2.53")).isEqualTo("v1");
  }

  @Test
  @Order(3)
  void aWithdrawingSiteLeavesTheSharedPrefixToTheOtherWithoutAGap() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    SiteFleet.Site c = fleet.site("c");
    Set<String> before = SiteFleet.nextHops(fleet.peerRoutes(), SHARED);
    assertThat(before).containsExactlyInAnyOrder(a.ip, b.ip);

    try (RouteSampler sampler = fleet.sampler(Duration.ofSeconds(60))) {
      Instant t0 = Instant.now();
      fleet.disable(a);
      fleet.awaitPeer(
          "the peer keeps " + SHARED + " via " + b + " only",
          Duration.ofSeconds(10),
          () -> SiteFleet.nextHops(fleet.peerRoutes(), SHARED).equals(Set.of(b.ip)));
      assertThat(SiteFleet.nextHops(fleet.peerRoutes(), OTHER)).containsExactly(c.ip);
      assertThat(fleet.kernelNextHop("192.0.2.53")).isEqualTo(b.ip);
      assertThat(fleet.servedAt("192.0.2.53")).as("answered via " + b).isEqualTo("v1");
      fleet.assertConsistent(b);
      fleet.assertMembers(a); // its app still serves; only its route is gone

      fleet.enable(a);
      fleet.awaitPeer(
          "the peer has " + SHARED + " via both again",
          Duration.ofSeconds(10),
          () -> SiteFleet.nextHops(fleet.peerRoutes(), SHARED).equals(before));
      sampler.close();

      assertThat(sampler.samples()).as("samples").hasSizeGreaterThan(3);
      assertThat(sampler.absent(SHARED))
          .as("samples without " + SHARED + ": " + sampler.timeline(SHARED))
          .isZero();
      assertThat(sampler.between(t0, Instant.now()).stream().anyMatch(s -> s.paths(SHARED) == 1))
          .as("one path after the withdrawal: " + sampler.timeline(SHARED))
          .isTrue();
      assertThat(sampler.minPaths(OTHER)).as(sampler.timeline(OTHER)).isEqualTo(1);
      System.out.printf(
          "SiteFleetIT: %s paths per sample (disable a, enable a): %s; %s: %s%n",
          SHARED, sampler.timeline(SHARED), OTHER, sampler.timeline(OTHER));
    }
    fleet.awaitConsistent(Duration.ofSeconds(10));
    assertThat(fleet.servedAt("192.0.2.53")).isEqualTo("v1");
  }

  @Test
  @Order(4)
  void withEverySiteOfThePrefixWithdrawnTheAddressIsUnreachableAtOnce() {
    SiteFleet.Site a = fleet.site("a");
    SiteFleet.Site b = fleet.site("b");
    fleet.disable(a);
    fleet.disable(b);
    try {
      fleet.awaitPeer(
          "the peer has no route for " + SHARED,
          Duration.ofSeconds(10),
          () -> !fleet.peerRoutes().containsKey(SHARED));
      assertThat(fleet.kernelNextHop("192.0.2.53")).isEmpty();
      long t0 = System.nanoTime();
      String answer = fleet.servedAt("192.0.2.53");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(answer).contains("No route to host");
      assertThat(ms).as("ms until the client's request failed").isLessThan(3_000);
      assertThat(fleet.servedAt("192.0.2.54")).as("the other prefix").isEqualTo("v1");
    } finally {
      fleet.enable(a);
      fleet.enable(b);
    }
    fleet.awaitConsistent(Duration.ofSeconds(15));
    assertThat(fleet.servedAt("192.0.2.53")).isEqualTo("v1");
  }
}
