package dev.holdfast.probe;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ExecResult;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.route.RouteIntent;
import dev.holdfast.run.RunnerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProbeWatcherTest {

  private final RunnerFixture f = new RunnerFixture();
  private final AtomicBoolean serving = new AtomicBoolean(true);
  private final List<String> heard = new ArrayList<>();

  ProbeWatcherTest() {
    ContainerView app = f.fake.container("seed-app").orElseThrow();
    f.fake.remove("seed-app");
    f.fake.run(
        container("seed-app")
            .in(f.holder.id())
            .image(app.image(), app.imageId())
            .label(Labels.HEALTH, "tcp:53")
            .label(Labels.HEALTH_INTERVAL, "1s")
            .label(Labels.HEALTH_FALL, "3")
            .label(Labels.HEALTH_RISE, "2")
            .build());
    f.fake.onExec(
        (name, command) ->
            name.equals("seed-holder") && command.get(0).equals("nc")
                ? new ExecResult(serving.get() ? 0 : 1, serving.get() ? "" : "refused")
                : new ExecResult(0, ""));
  }

  private Group seed() {
    return f.groups.group("seed").orElseThrow();
  }

  private String appId() {
    return f.fake.container("seed-app").orElseThrow().id();
  }

  /** One interval passes and the due probes run (the fixture's executor runs them at once). */
  private void second() {
    f.clock.advance(Duration.ofSeconds(1));
    heard.addAll(f.probes.tick());
  }

  @Test
  void theRouteIsWithdrawnAfterFallFailuresAndAnnouncedAfterRisePasses() {
    f.keeper.watchProbes(List.of(seed()));
    heard.addAll(f.probes.tick());
    f.keeper.keep(seed());
    assertThat(f.keeper.intent("seed").orElseThrow().announced()).isTrue();

    serving.set(false);
    second();
    second();
    assertThat(heard).isEmpty();
    second();

    assertThat(heard).containsExactly("seed");
    f.keeper.keep(seed());
    RouteIntent down = f.keeper.intent("seed").orElseThrow();
    assertThat(down.announced()).isFalse();
    assertThat(down.why())
        .isEqualTo("app seed-app failed tcp:53 3 times in a row (last: tcp:53 exit 1 refused)");

    serving.set(true);
    second();
    assertThat(f.probes.unhealthy(appId())).isPresent();
    second();

    assertThat(heard).containsExactly("seed", "seed");
    f.keeper.keep(seed());
    assertThat(f.keeper.intent("seed").orElseThrow().announced()).isTrue();
  }

  @Test
  void probesRunInTheHoldersNamespaceAtTheInterval() {
    f.keeper.watchProbes(List.of(seed()));
    heard.addAll(f.probes.tick());
    heard.addAll(f.probes.tick()); // not due again yet
    f.clock.advance(Duration.ofMillis(999));
    heard.addAll(f.probes.tick());

    assertThat(f.fake.calls())
        .filteredOn(c -> c.startsWith("exec "))
        .containsExactly("exec seed-holder nc -w 2 127.0.0.1 53");
  }

  @Test
  void aRecreatedAppStartsAFreshCountAndAGoneAppIsNoLongerWatched() {
    f.keeper.watchProbes(List.of(seed()));
    serving.set(false);
    heard.addAll(f.probes.tick());
    second();
    second();
    String old = appId();
    assertThat(f.probes.unhealthy(old)).isPresent();

    f.fake.remove("seed-app");
    f.keeper.watchProbes(List.of(seed()));

    assertThat(f.probes.unhealthy(old)).isEmpty();
    assertThat(f.probes.count(old)).isEmpty();
  }

  @Test
  void groupsWithoutRoutersAreNotProbed() {
    f.fake.remove("seed-router");
    f.keeper.watchProbes(List.of(seed()));
    heard.addAll(f.probes.tick());

    assertThat(f.fake.calls()).noneMatch(c -> c.startsWith("exec "));
  }

  @Test
  void malformedProbeLabelsAreNotWatched() {
    f.fake.remove("seed-app");
    f.fake.run(
        container("seed-app")
            .in(f.holder.id())
            .label(Labels.HEALTH, "tcp:53")
            .label(Labels.HEALTH_FALL, "never")
            .build());
    f.keeper.watchProbes(List.of(seed()));
    heard.addAll(f.probes.tick());

    assertThat(f.probes.count(appId())).isEmpty();
  }
}
