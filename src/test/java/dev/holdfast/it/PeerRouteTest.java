package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PeerRoute#parse} on what BIRD 2.0.12's {@code birdc show route} printed at the peer. */
class PeerRouteTest {

  // A peer with three sites, two of them announcing 192.0.2.53/32 (SiteFleetIT's fleet).
  static final String TWO_AND_ONE =
      """
      BIRD 2.0.12 ready.
      Table master4:
      192.0.2.54/32        unicast [downstream3 01:46:28.571] * (100) [AS65001i]
      \tvia 203.0.113.232 on eth0
      192.0.2.53/32        unicast [downstream 01:46:28.483] * (100) [AS65001i]
      \tvia 203.0.113.230 on eth0
                           unicast [downstream2 01:46:28.527] (100) [AS65001i]
      \tvia 203.0.113.231 on eth0
      """;

  @Test
  void routesByPrefixWithTheirSessionNextHopAndTheBestFirst() {
    Map<String, List<PeerRoute>> t = PeerRoute.parse(TWO_AND_ONE);

    assertThat(t.keySet()).containsExactly("192.0.2.54/32", "192.0.2.53/32");
    assertThat(t.get("192.0.2.54/32"))
        .containsExactly(new PeerRoute("192.0.2.54/32", "downstream3", "203.0.113.232", true));
    assertThat(t.get("192.0.2.53/32"))
        .containsExactly(
            new PeerRoute("192.0.2.53/32", "downstream", "203.0.113.230", true),
            new PeerRoute("192.0.2.53/32", "downstream2", "203.0.113.231", false));
  }

  @Test
  void attributeLinesOfShowRouteAllAreSkipped() {
    String all =
        """
        BIRD 2.0.12 ready.
        Table master4:
        192.0.2.53/32        unicast [downstream2 01:46:28.636] * (100) [AS65001i]
        \tvia 203.0.113.231 on eth0
        \tType: BGP univ
        \tBGP.origin: IGP
        \tBGP.as_path: 65001
        \tBGP.next_hop: 203.0.113.231
        \tBGP.local_pref: 100
        """;

    assertThat(PeerRoute.parse(all))
        .containsExactly(
            Map.entry(
                "192.0.2.53/32",
                List.of(new PeerRoute("192.0.2.53/32", "downstream2", "203.0.113.231", true))));
  }

  @Test
  void anEmptyTableHasNoRoutes() {
    assertThat(PeerRoute.parse("BIRD 2.0.12 ready.\nTable master4:\n")).isEmpty();
    assertThat(PeerRoute.parse("BIRD 2.0.12 ready.\nNetwork not found\n")).isEmpty();
  }

  @Test
  void aRouteWithoutViaHasNoNextHop() {
    String router =
        """
        BIRD 2.0.12 ready.
        Table master4:
        192.0.2.53/32        unreachable [anycast4 01:46:27.301] * (200)
        """;

    assertThat(PeerRoute.parse(router).get("192.0.2.53/32"))
        .containsExactly(new PeerRoute("192.0.2.53/32", "anycast4", "", true));
  }
}
