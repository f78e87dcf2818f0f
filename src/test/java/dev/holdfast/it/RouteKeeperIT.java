package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * holdfast owns the announce state on real BIRD: it follows the app's health, and re-asserts it on
 * a router that was recreated or reconfigured behind its back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteKeeperIT {

  private static final String BIRD_LABELS = SeedGroup.BIRD_ROUTE;

  @RegisterExtension static final SeedGroup env = SeedGroup.of("keep").router(BIRD_LABELS);

  @BeforeAll
  static void announced() {
    await("holdfast knows the group")
        .atMost(Duration.ofSeconds(20))
        .until(() -> routeState().equals("announced"));
  }

  private static String routeState() {
    return env.holdfast
        .group(env.group)
        .map(g -> g.path("route").path("state").asText())
        .orElse("");
  }

  /** The app's HEALTHCHECK fetches /www/version: removing it makes the app unhealthy. */
  private static void makeAppUnhealthy() {
    assertThat(env.engine.exec(env.app, "rm", "-f", "/www/version").ok()).isTrue();
    await("route withdrawn at the peer")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !env.peerHasPrefix());
    assertThat(routeState()).isEqualTo("withdrawn");
  }

  private static void makeAppHealthy() {
    assertThat(env.engine.exec(env.app, "sh", "-c", "echo v1 > /www/version").ok()).isTrue();
    await("route announced at the peer")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(env::peerHasPrefix);
    assertThat(routeState()).isEqualTo("announced");
  }

  /** Whether the router's anycast protocol is disabled right now. */
  private static boolean anycastDown() {
    return env.engine
        .exec(env.router, "birdc", "-s", "/run/bird/bird.ctl", "show", "protocols", "anycast4")
        .out()
        .contains("down");
  }

  /** The prefix stays away from the peer for a while (sampled every 200 ms, bounded). */
  private static void staysWithdrawn(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    int samples = 0;
    while (System.nanoTime() < end && samples < 100) {
      assertThat(env.peerHasPrefix()).as("sample " + samples).isFalse();
      samples++;
    }
  }

  @Test
  @Order(1)
  void anUnhealthyAppIsWithdrawnAndAnnouncedAgainWhenHealthy() {
    String routerId = env.engine.id(env.router);

    makeAppUnhealthy();
    assertThat(env.holdfast.group(env.group).orElseThrow().path("route").path("why").asText())
        .contains("unhealthy");
    makeAppHealthy();

    assertThat(env.engine.id(env.router))
        .as("BGP via the same router, never stopped")
        .isEqualTo(routerId);
    assertThat(env.peerProtocols()).contains("Established");
  }

  @Test
  @Order(2)
  void birdConfigureDuringAWithdrawnPeriodIsUndone() {
    makeAppUnhealthy();

    // configure re-enables a protocol disabled at run time (bird.conf does not say disabled here)
    env.engine.exec(env.router, "birdc", "-s", "/run/bird/bird.ctl", "configure");

    await("holdfast withdraws again")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(RouteKeeperIT::anycastDown);
    staysWithdrawn(Duration.ofSeconds(3));
    makeAppHealthy();
  }

  @Test
  @Order(3)
  void aRouterRecreatedWhileTheAppIsUnhealthyIsWithdrawnAndStaysWithdrawn() {
    makeAppUnhealthy();

    env.engine.run("rm", "-f", env.router);
    // the harder case: bird.conf does not declare the protocol disabled, so BIRD starts announcing
    env.recreateRouter(BIRD_LABELS);
    java.time.Instant started = java.time.Instant.parse(env.engine.startedAt(env.router));

    await("holdfast disables anycast4 in the new router")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(RouteKeeperIT::anycastDown);
    // how soon is a figure, not an assertion here (the target is about 1 s plus polling)
    long millis = Duration.between(started, java.time.Instant.now()).toMillis();
    System.out.printf("[RouteKeeperIT] new router withdrawn %d ms after its start%n", millis);
    staysWithdrawn(Duration.ofSeconds(5));
    makeAppHealthy();
  }

  @Test
  @Order(4)
  void aRouterRecreatedWhileTheAppIsHealthyAnnouncesOnlyThroughHoldfast() {
    env.engine.run("rm", "-f", env.router);

    // the recommended set-up: anycast protocols declared disabled, BIRD starts withdrawn
    env.recreateRouter(BIRD_LABELS + " -e ANNOUNCE=disabled");

    await("holdfast announces through the new router")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(env::peerHasPrefix);
    assertThat(routeState()).isEqualTo("announced");
  }

  @Test
  @Order(5)
  void aReplacedHolderIsHealedAndTheRouteAnnouncedThroughBird() {
    String oldHolder = env.engine.id(env.holder);

    String newHolder = env.recreateHolder();

    await("healed and announced")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> env.holdfast.attached(env.group, 2) && env.peerHasPrefix());
    assertThat(newHolder).isNotEqualTo(oldHolder);
    assertThat(routeState()).isEqualTo("announced");
    env.assertConsistent();
  }
}
