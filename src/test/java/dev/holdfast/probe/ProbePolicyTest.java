package dev.holdfast.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbePolicyTest {

  @Test
  void withoutAProbeNothingIsWatched() {
    assertThat(ProbePolicy.of(Map.of())).isEmpty();
    assertThat(ProbePolicy.of(Map.of("holdfast.health", " "))).isEmpty();
  }

  @Test
  void defaultsAreEveryFiveSecondsFallThreeRiseTwo() {
    ProbePolicy p = ProbePolicy.of(Map.of("holdfast.health", "tcp:53")).orElseThrow();

    assertThat(p.describe()).isEqualTo("tcp:53 every 5s, fall 3, rise 2");
    assertThat(p.withdrawWithin()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void labelsSetIntervalFallAndRise() {
    ProbePolicy p =
        ProbePolicy.of(
                Map.of(
                    "holdfast.health", "http:8080/version",
                    "holdfast.health.interval", "500ms",
                    "holdfast.health.fall", "2",
                    "holdfast.health.rise", "4"))
            .orElseThrow();

    assertThat(p.describe()).isEqualTo("http:8080/version every 500ms, fall 2, rise 4");
  }

  @Test
  void badLabelsAreNamedInTheError() {
    assertThatThrownBy(
            () -> ProbePolicy.of(Map.of("holdfast.health", "tcp:53", "holdfast.health.fall", "0")))
        .hasMessage("holdfast.health.fall=0: must be a whole number from 1 to 100");
    assertThatThrownBy(
            () ->
                ProbePolicy.of(Map.of("holdfast.health", "tcp:53", "holdfast.health.rise", "two")))
        .hasMessage("holdfast.health.rise=two: must be a whole number from 1 to 100");
    assertThatThrownBy(
            () ->
                ProbePolicy.of(
                    Map.of("holdfast.health", "tcp:53", "holdfast.health.interval", "10ms")))
        .hasMessage("holdfast.health.interval=10ms: must be at least 200ms");
    assertThatThrownBy(
            () ->
                ProbePolicy.of(
                    Map.of("holdfast.health", "tcp:53", "holdfast.health.interval", "soon")))
        .hasMessageStartingWith("holdfast.health.interval: ");
    assertThatThrownBy(() -> ProbePolicy.of(Map.of("holdfast.health", "udp:53")))
        .hasMessageContaining("unknown probe");
  }
}
