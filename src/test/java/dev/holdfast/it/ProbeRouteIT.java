package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * anycast-healthchecker parity on real BIRD: an app without a Docker HEALTHCHECK is watched by its
 * {@code holdfast.health} probe; {@code fall} failures withdraw the prefix at the peer, {@code
 * rise} passes announce it again, and the BGP session stays up throughout.
 */
class ProbeRouteIT {

  private static final int FALL = 3;
  private static final int RISE = 2;
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @RegisterExtension
  static final SeedGroup env =
      SeedGroup.of("probe")
          .router(SeedGroup.BIRD_ROUTE)
          .app(
              "--no-healthcheck",
              "--label",
              "holdfast.health=http:8080/version",
              "--label",
              "holdfast.health.interval=" + INTERVAL.toMillis() + "ms",
              "--label",
              "holdfast.health.fall=" + FALL,
              "--label",
              "holdfast.health.rise=" + RISE);

  @BeforeAll
  static void announced() {
    await("holdfast announces the group")
        .atMost(Duration.ofSeconds(20))
        .until(() -> route().path("state").asText().equals("announced"));
  }

  private static JsonNode route() {
    return env.holdfast.group(env.group).map(g -> g.path("route")).orElseThrow();
  }

  @Test
  void failingProbesWithdrawAndPassingOnesAnnounceAgain() {
    assertThat(env.engine.inspect(env.app).map(Docker::health).orElse("gone"))
        .as("no Docker HEALTHCHECK")
        .isEqualTo("none");
    String routerId = env.engine.id(env.router);

    long broke = System.nanoTime();
    assertThat(env.engine.exec(env.app, "rm", "-f", "/www/version").ok()).isTrue();
    await("prefix withdrawn at the peer")
        .atMost(INTERVAL.multipliedBy(FALL).plus(Duration.ofSeconds(10)))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !env.peerHasPrefix());
    // how soon is a figure, not an assertion (the target: fall x interval, then one reconcile,
    // one birdc and one BGP update); the behaviour is the route's state and its reason
    Duration withdrawn = Duration.ofNanos(System.nanoTime() - broke);
    System.out.printf(
        "[ProbeRouteIT] withdrawn at the peer %d ms after the app stopped serving"
            + " (fall %d x interval %d ms)%n",
        withdrawn.toMillis(), FALL, INTERVAL.toMillis());
    assertThat(route().path("state").asText()).isEqualTo("withdrawn");
    assertThat(route().path("why").asText())
        .startsWith("app " + env.app + " failed http:8080/version " + FALL + " times in a row");

    long healed = System.nanoTime();
    assertThat(env.engine.exec(env.app, "sh", "-c", "echo v1 > /www/version").ok()).isTrue();
    await("prefix announced at the peer")
        .atMost(INTERVAL.multipliedBy(RISE).plus(Duration.ofSeconds(10)))
        .pollInterval(Duration.ofMillis(100))
        .until(env::peerHasPrefix);
    Duration announced = Duration.ofNanos(System.nanoTime() - healed);
    System.out.printf(
        "[ProbeRouteIT] announced again %d ms after the app served again (rise %d)%n",
        announced.toMillis(), RISE);
    assertThat(announced)
        .as("rise 2 needs two passing probes one interval apart")
        .isGreaterThanOrEqualTo(INTERVAL.multipliedBy(RISE - 1).minusMillis(100));
    assertThat(route().path("state").asText()).isEqualTo("announced");

    assertThat(env.engine.id(env.router)).as("the router was never recreated").isEqualTo(routerId);
    assertThat(env.peerProtocols()).contains("Established");
  }
}
