package dev.holdfast.probe;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.testing.FakeEngine;
import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthGateTest {

  private final FakeEngine engine = new FakeEngine();
  private final MutableClock clock = new MutableClock();
  private final HealthGate gate =
      new HealthGate(engine, clock, clock.sleeper(), Duration.ofMillis(100));
  private final ContainerView holder = engine.run(container("h").build());

  private GatePolicy policy(HealthCheck check) {
    return new GatePolicy(check, Duration.ofSeconds(5));
  }

  @Test
  void tcpAndHttpProbesRunInTheHolderNamespaceAndExecInTheApp() throws InterruptedException {
    engine.run(container("app").in(holder.id()).build());

    assertThat(gate.await("app", holder.id(), policy(new HealthCheck.Tcp(53)))).isEmpty();
    assertThat(gate.await("app", holder.id(), policy(new HealthCheck.Http(80, "/ok")))).isEmpty();
    assertThat(gate.await("app", holder.id(), policy(new HealthCheck.Exec(List.of("check", "-q")))))
        .isEmpty();

    assertThat(engine.calls())
        .containsExactly(
            "exec h nc -w 2 127.0.0.1 53",
            "exec h wget -q -O /dev/null http://127.0.0.1:80/ok",
            "exec app check -q");
  }

  @Test
  void aProbeThatKeepsFailingTimesOutWithTheLastOutput() throws InterruptedException {
    engine.run(container("app").in(holder.id()).build());
    engine.onExec((name, cmd) -> new ExecResult(1, "connection refused"));

    Optional<String> failure = gate.await("app", holder.id(), policy(new HealthCheck.Tcp(53)));

    assertThat(failure)
        .hasValueSatisfying(
            f -> assertThat(f).contains("not healthy within 5s").contains("connection refused"));
  }

  @Test
  void aProbeThatPassesLaterLetsTheGatePass() throws InterruptedException {
    engine.run(container("app").in(holder.id()).build());
    int[] tries = {0};
    engine.onExec((name, cmd) -> new ExecResult(++tries[0] < 4 ? 1 : 0, ""));

    assertThat(gate.await("app", holder.id(), policy(new HealthCheck.Tcp(53)))).isEmpty();
    assertThat(tries[0]).isEqualTo(4);
  }

  @Test
  void unhealthyFailsAtOnceAndHealthyPasses() throws InterruptedException {
    engine.run(container("sick").in(holder.id()).health("unhealthy").build());
    engine.run(container("fine").in(holder.id()).health("healthy").build());

    assertThat(gate.await("sick", holder.id(), policy(new HealthCheck.Docker())))
        .hasValueSatisfying(f -> assertThat(f).contains("docker health unhealthy"));
    assertThat(gate.await("fine", holder.id(), policy(new HealthCheck.Docker()))).isEmpty();
  }

  @Test
  void settleNeedsTheMemberToKeepRunningWithoutRestarts() throws InterruptedException {
    engine.run(container("app").in(holder.id()).build());

    assertThat(
            gate.await("app", holder.id(), policy(new HealthCheck.Settle(Duration.ofSeconds(3)))))
        .isEmpty();
    assertThat(clock.instant()).isAfterOrEqualTo(java.time.Instant.parse("2026-01-01T10:00:03Z"));
  }

  @Test
  void aMemberThatRestartsOrExitsFailsTheGate() throws InterruptedException {
    engine.run(container("loop").in(holder.id()).build());
    engine.onExec(
        (name, cmd) -> {
          engine.restarted("loop");
          return new ExecResult(1, "");
        });

    assertThat(gate.await("loop", holder.id(), policy(new HealthCheck.Tcp(1))))
        .hasValueSatisfying(f -> assertThat(f).contains("restarted"));

    engine.run(container("dead").in(holder.id()).state("exited").build());
    assertThat(gate.await("dead", holder.id(), policy(new HealthCheck.Docker())))
        .hasValueSatisfying(f -> assertThat(f).contains("exited"));
  }
}
