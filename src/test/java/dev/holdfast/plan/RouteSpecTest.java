package dev.holdfast.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteSpecTest {

  @Test
  void stopIsTheDefaultWithoutDrain() {
    RouteSpec s = RouteSpec.of("r", Map.of());

    assertThat(s.strategy()).isEqualTo("stop");
    assertThat(s.drain()).isZero();
    assertThat(s.describeWithdraw()).isEqualTo("strategy stop");
  }

  @Test
  void birdReadsProtocolsPeersSocketAndDrain() {
    RouteSpec s =
        RouteSpec.of(
            "r",
            Map.of(
                "holdfast.route", "bird",
                "holdfast.bird.protocols", "anycast4, anycast6",
                "holdfast.bird.peers", "upstream",
                "holdfast.bird.socket", "/var/run/bird.ctl",
                "holdfast.drain", "500ms"));

    assertThat(s.protocols()).containsExactly("anycast4", "anycast6");
    assertThat(s.peers()).containsExactly("upstream");
    assertThat(s.socket()).isEqualTo(Optional.of("/var/run/bird.ctl"));
    assertThat(s.drain()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.describeWithdraw())
        .isEqualTo(
            "strategy bird: birdc -v -s /var/run/bird.ctl disable anycast4;"
                + " birdc -v -s /var/run/bird.ctl disable anycast6;"
                + " prove anycast4,anycast6 down and gone from export to upstream; drain 500ms");
    assertThat(s.describeAnnounce()).contains("enable anycast6").endsWith("confirm up");
    assertThat(
            RouteSpec.of("r", Map.of("holdfast.route", "bird", "holdfast.bird.protocols", "a"))
                .drain())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badLabelsAreRefusedWithTheRouterAndLabel() {
    assertThatThrownBy(() -> RouteSpec.of("r", Map.of("holdfast.route", "bird")))
        .hasMessageContaining("r: holdfast.route=bird needs holdfast.bird.protocols");
    assertThatThrownBy(
            () ->
                RouteSpec.of(
                    "r", Map.of("holdfast.route", "bird", "holdfast.bird.protocols", "a;reboot")))
        .hasMessageContaining("'a;reboot' is not a BIRD protocol name");
    assertThatThrownBy(
            () ->
                RouteSpec.of(
                    "r",
                    Map.of(
                        "holdfast.route", "bird",
                        "holdfast.bird.protocols", "a",
                        "holdfast.bird.socket", "relative/path")))
        .hasMessageContaining("is not an absolute path");
    assertThatThrownBy(() -> RouteSpec.of("r", Map.of("holdfast.route", "exabgp")))
        .hasMessageContaining("not a known strategy");
  }
}
