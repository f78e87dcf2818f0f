package dev.holdfast.route;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.run.RunnerFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouteKeeperTest {

  private final RunnerFixture f = new RunnerFixture();

  private Group seed() {
    return f.groups.group("seed").orElseThrow();
  }

  private void appHealth(String health) {
    ContainerView app = f.fake.container("seed-app").orElseThrow();
    f.fake.run(
        container("seed-app")
            .id(app.id())
            .in(f.holder.id())
            .image(app.image(), app.imageId())
            .health(health)
            .build());
  }

  private static String fixture(String name) {
    try (InputStream in = RouteKeeperTest.class.getResourceAsStream("/fixtures/bird/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theIntentFollowsTheAppsHealthWithEveryChangeRecorded() {
    f.keeper.keep(seed());
    f.clock.advance(Duration.ofSeconds(5));
    appHealth("unhealthy");
    f.keeper.keep(seed());
    f.keeper.keep(seed());

    assertThat(f.keeper.intent("seed"))
        .hasValueSatisfying(
            i -> {
              assertThat(i.announced()).isFalse();
              assertThat(i.why()).isEqualTo("app seed-app is unhealthy");
            });
    assertThat(f.keeper.changes("seed"))
        .extracting(RouteIntent::state)
        .containsExactly("withdrawn", "announced");
  }

  @Test
  void anAppSomeoneIsStoppingIsDownAlreadyForTheRoute() {
    f.keeper.keep(seed());
    String app = f.fake.container("seed-app").orElseThrow().id();

    f.keeper.keep(seed(), id -> id.equals(app)); // a stop signal was sent; it still serves

    assertThat(f.keeper.intent("seed"))
        .hasValueSatisfying(
            i -> {
              assertThat(i.announced()).isFalse();
              assertThat(i.why()).isEqualTo("app seed-app is being stopped");
            });
  }

  @Test
  void historyIsBounded() {
    for (int i = 0; i < 50; i++) {
      f.keeper.intend("g", i % 2 == 0, "flap " + i);
    }

    assertThat(f.keeper.changes("g")).hasSize(RouteKeeper.HISTORY);
    assertThat(f.keeper.changes("g").get(0).why()).isEqualTo("flap 49");
  }

  @Test
  void aBirdRouterThatAnnouncesAgainstTheIntentIsWithdrawn() {
    f.fake.remove("seed-router");
    f.fake.run(
        container("seed-router")
            .in(f.holder.id())
            .label(Labels.ROLE, "router")
            .label(Labels.ROUTE, "bird")
            .label(Labels.BIRD_PROTOCOLS, "anycast4")
            .build());
    boolean[] disabled = {false};
    f.fake.onExec(
        (name, argv) -> {
          String command = String.join(" ", argv.subList(4, argv.size()));
          if (command.equals("disable anycast4")) {
            disabled[0] = true;
            return new ExecResult(0, fixture("router-disable-anycast4-1.txt"));
          }
          if (command.equals("show protocols")) {
            return new ExecResult(
                0,
                fixture(
                    disabled[0]
                        ? "router-show-protocols-after-disable.txt"
                        : "router-show-protocols.txt"));
          }
          if (command.startsWith("show route protocol")) {
            return new ExecResult(
                0,
                fixture(
                    disabled[0] ? "router-show-route-after-disable.txt" : "router-show-route.txt"));
          }
          return new ExecResult(1, "unexpected " + command);
        });
    appHealth("unhealthy");

    assertThat(f.keeper.keep(seed())).isTrue();

    assertThat(disabled[0]).isTrue();
    assertThat(f.keeper.intent("seed"))
        .hasValueSatisfying(i -> assertThat(i.announced()).isFalse());
  }
}
