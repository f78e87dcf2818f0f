package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.probe.GatePolicy;
import dev.holdfast.probe.HealthCheck;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gate's probes on a real engine: they run inside the group's namespace through the holder. */
@ExtendWith(RealEngine.class)
class HealthGateIT {

  private static final String SESSION = UUID.randomUUID().toString().substring(0, 8);
  private static DockerEngine engine;
  private static HealthGate gate;
  private static String holder;

  @BeforeAll
  static void group() {
    engine = new DockerEngine(Docker.BOOKWORM.host());
    gate = new HealthGate(engine, Clock.systemUTC(), Sleeper.REAL, Duration.ofMillis(100));
    holder =
        Docker.BOOKWORM.runLabelled(
            SESSION, "--name", "hf-gate-" + SESSION, "--network", "none", "holdfast-test/holder:1");
    Docker.BOOKWORM.runLabelled(
        SESSION,
        "--name",
        "hf-gate-app-" + SESSION,
        "--network",
        "container:" + holder,
        "holdfast-test/app:noprobe");
    Docker.BOOKWORM.runLabelled(
        SESSION, "--name", "hf-gate-v1-" + SESSION, "--network", "none", "holdfast-test/app:v1");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    Docker.BOOKWORM.removeSession(SESSION);
    engine.close();
  }

  private static GatePolicy within(HealthCheck check, int seconds) {
    return new GatePolicy(check, Duration.ofSeconds(seconds));
  }

  @Test
  void tcpAndHttpProbesReachTheAppThroughTheHoldersNamespace() throws InterruptedException {
    String app = "hf-gate-app-" + SESSION;

    assertThat(gate.await(app, holder, within(new HealthCheck.Tcp(8080), 10))).isEmpty();
    assertThat(gate.await(app, holder, within(new HealthCheck.Http(8080, "/version"), 10)))
        .isEmpty();
    assertThat(
            gate.await(
                app, holder, within(new HealthCheck.Exec(List.of("cat", "/www/version")), 10)))
        .isEmpty();
  }

  @Test
  void closedPortsAndMissingPathsFailWithinTheTimeout() throws InterruptedException {
    String app = "hf-gate-app-" + SESSION;
    long start = System.nanoTime();

    assertThat(gate.await(app, holder, within(new HealthCheck.Tcp(8081), 2))).isPresent();
    assertThat(gate.await(app, holder, within(new HealthCheck.Http(8080, "/missing"), 2)))
        .isPresent();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void dockerHealthcheckBecomesHealthy() throws InterruptedException {
    assertThat(gate.await("hf-gate-v1-" + SESSION, holder, within(new HealthCheck.Docker(), 20)))
        .isEmpty();
  }
}
