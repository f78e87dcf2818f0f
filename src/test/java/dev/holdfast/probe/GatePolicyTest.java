package dev.holdfast.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatePolicyTest {

  @Test
  void probeLabelAloneIsTheCheck() {
    GatePolicy p = GatePolicy.of(Map.of("holdfast.health", "tcp:53"), false);

    assertThat(p.check()).isEqualTo(new HealthCheck.Tcp(53));
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void imageHealthcheckAndProbeLabelMustBothPass() {
    GatePolicy p = GatePolicy.of(Map.of("holdfast.health", "tcp:53"), true);

    assertThat(p.check())
        .isEqualTo(new HealthCheck.Both(new HealthCheck.Docker(), new HealthCheck.Tcp(53)));
    assertThat(p.describe()).isEqualTo("docker-healthcheck+tcp:53 within 1m");
  }

  @Test
  void imageHealthcheckComesNext() {
    assertThat(GatePolicy.of(Map.of(), true).check()).isInstanceOf(HealthCheck.Docker.class);
  }

  @Test
  void withoutAnyCheckTheMemberMustKeepRunningForTheSettleTime() {
    assertThat(GatePolicy.of(Map.of("holdfast.health.settle", "5s"), false).check())
        .isEqualTo(new HealthCheck.Settle(Duration.ofSeconds(5)));
  }

  @Test
  void parsesEveryProbeForm() {
    assertThat(GatePolicy.parseProbe("http:8080/healthz?full=1"))
        .isEqualTo(new HealthCheck.Http(8080, "/healthz?full=1"));
    assertThat(GatePolicy.parseProbe("http:80")).isEqualTo(new HealthCheck.Http(80, "/"));
    assertThat(GatePolicy.parseProbe("exec:pdns_control rping"))
        .isEqualTo(new HealthCheck.Exec(List.of("pdns_control", "rping")));
  }

  @Test
  void timeoutLabelIsRead() {
    assertThat(GatePolicy.of(Map.of("holdfast.health.timeout", "2m"), true).timeout())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badLabelsSayWhatIsWrong() {
    assertThatThrownBy(() -> GatePolicy.parseProbe("tcp:99999"))
        .hasMessageContaining("'99999' is not a port");
    assertThatThrownBy(() -> GatePolicy.parseProbe("exec:"))
        .hasMessageContaining("exec needs a command");
    assertThatThrownBy(() -> GatePolicy.parseProbe("http:80/a b")).hasMessageContaining("path");
    assertThatThrownBy(() -> GatePolicy.of(Map.of("holdfast.health.timeout", "soon"), true))
        .hasMessageContaining("holdfast.health.timeout: 'soon' is not a duration");
  }

  @Test
  void durationsReadAndWriteTheShortForm() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
  }
}
