package dev.holdfast.dispatch;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Member;
import dev.holdfast.group.Role;
import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineActivityTest {

  private final MutableClock clock = new MutableClock();
  private final EngineActivity activity = new EngineActivity(clock, Duration.ofSeconds(1));

  private final ContainerView holder =
      container("dns-net")
          .label(ComposeLabels.PROJECT, "seed")
          .label(ComposeLabels.SERVICE, "dns-net")
          .build();
  private final ContainerView app =
      container("dns-app")
          .in(holder.id())
          .label(ComposeLabels.PROJECT, "seed")
          .label(ComposeLabels.SERVICE, "dns-app")
          .build();
  private final Group group =
      new Group(
          "dns-net",
          Optional.of(holder),
          List.of(new Member(app, Role.APP, 0, Optional.of("stale"))));

  private static EngineEvent event(String action, ContainerView c, Map<String, String> extra) {
    Map<String, String> attributes = new java.util.HashMap<>(c.labels());
    attributes.put("name", c.name());
    attributes.putAll(extra);
    return new EngineEvent(action, c.id(), attributes, java.time.Instant.EPOCH);
  }

  @Test
  void aGroupIsBusyForTheSettleTimeAfterAnEventOfItsComposeProject() {
    ContainerView other =
        container("seed-peer").label(ComposeLabels.PROJECT, "seed").build(); // not in the group
    activity.saw(event("start", other, Map.of()));

    assertThat(activity.busy(group))
        .singleElement()
        .asString()
        .contains("not quiet yet (seed-peer start 0 ms ago)");
    assertThat(activity.quietAt(group)).contains(clock.instant().plusSeconds(1));

    clock.advance(Duration.ofMillis(1000));
    assertThat(activity.busy(group)).isEmpty();
  }

  @Test
  void aMemberBeingStoppedKeepsTheGroupBusyUntilItDies() {
    activity.saw(event("kill", app, Map.of("signal", "15")));
    clock.advance(Duration.ofSeconds(8)); // an app without an init: the stop takes its timeout

    assertThat(activity.stopping(app.id())).isTrue();
    assertThat(activity.busy(group))
        .singleElement()
        .asString()
        .contains("dns-app is being stopped (stop signal sent 8000 ms ago)");

    activity.saw(event("die", app, Map.of()));
    clock.advance(Duration.ofSeconds(1));
    assertThat(activity.stopping(app.id())).isFalse();
    assertThat(activity.busy(group)).isEmpty();
  }

  @Test
  void aReloadSignalIsNotAStopAndHealthOrExecIsNoChange() {
    activity.saw(event("kill", app, Map.of("signal", "1")));
    assertThat(activity.stopping(app.id())).isFalse();

    clock.advance(Duration.ofSeconds(2));
    activity.saw(event("health_status: healthy", app, Map.of()));
    activity.saw(event("exec_start: wget", app, Map.of()));
    assertThat(activity.busy(group)).isEmpty();
  }

  @Test
  void holdfastsOwnSetAsideContainersAreNotActivity() {
    ContainerView aside =
        container("dns-app.holdfast-old-ab12cd34").label(ComposeLabels.PROJECT, "seed").build();
    activity.saw(event("destroy", aside, Map.of()));

    assertThat(activity.busy(group)).isEmpty();
  }

  @Test
  void anUnrelatedContainerDoesNotMakeTheGroupBusy() {
    activity.saw(event("start", container("web").label(Labels.GROUP, "web").build(), Map.of()));

    assertThat(activity.busy(group)).isEmpty();
  }
}
