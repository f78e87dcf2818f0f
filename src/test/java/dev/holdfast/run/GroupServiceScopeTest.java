package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Scope;
import dev.holdfast.route.RouteControls;
import dev.holdfast.testing.FakeEngine;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two holdfast instances on one engine see disjoint groups: each its scope's, as Watchtower's. */
class GroupServiceScopeTest {

  private final FakeEngine engine = new FakeEngine();
  private final InMemoryGroupMemory memory = new InMemoryGroupMemory();

  private void group(String name, String scope) {
    var holder = holderOf(name, name + "-net");
    if (scope != null) {
      holder.label(Labels.SCOPE, scope);
    }
    ContainerView h = engine.run(holder.build());
    var app = container(name + "-app").in(h.id());
    if (scope != null) {
      app.label(Labels.SCOPE, scope);
    }
    engine.run(app.build());
  }

  private List<String> seenBy(Scope scope) {
    return new GroupService(engine, memory, new RouteControls(List.of()), Clock.systemUTC(), scope)
        .groups().stream().map(Group::name).toList();
  }

  @Test
  void eachInstanceManagesOnlyItsScopesGroups() {
    group("dns-a", "site-a");
    group("dns-b", "site-b");
    group("ntp", null);

    assertThat(seenBy(Scope.of("site-a"))).containsExactly("dns-a");
    assertThat(seenBy(Scope.of("site-b"))).containsExactly("dns-b");
    assertThat(seenBy(Scope.NONE)).containsExactly("ntp");
    assertThat(seenBy(Scope.of("site-c"))).isEmpty();
  }

  @Test
  void aGroupWhoseHolderIsGoneKeepsItsScopeFromItsMembers() {
    group("dns-a", "site-a");
    assertThat(seenBy(Scope.of("site-a"))).containsExactly("dns-a"); // remembered while whole
    engine.remove(engine.container("dns-a-net").orElseThrow().id());

    assertThat(seenBy(Scope.of("site-a"))).containsExactly("dns-a");
    assertThat(seenBy(Scope.NONE)).isEmpty();
  }

  @Test
  void aScopeIsANameForLabelsAndLogs() {
    assertThatThrownBy(() -> Scope.of("site a"))
        .hasMessage("scope 'site a': 1-63 letters, digits, '.', '_' or '-', starting alnum");
    assertThatThrownBy(() -> Scope.of("-a")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Scope.of("site-a.eu_1").toString()).isEqualTo("scope site-a.eu_1");
    assertThat(Scope.NONE.toString()).isEqualTo("no scope");
  }

  @Test
  void theContainerHoldfastRunsInIsNeverAMember() {
    group("dns", null);
    ContainerView self =
        engine.run(
            container("holdfast").in(engine.container("dns-net").orElseThrow().id()).build());
    GroupService service =
        new GroupService(
            engine,
            memory,
            new RouteControls(List.of()),
            Clock.systemUTC(),
            Scope.NONE,
            new dev.holdfast.route.SitePrefixes(
                new RouteControls(List.of()), dev.holdfast.route.PrefixStore.NONE),
            java.util.Optional.of(self.id()));
    assertThat(service.groups().get(0).members())
        .extracting(m -> m.name())
        .containsExactly("dns-app");
    GroupService unaware =
        new GroupService(
            engine, memory, new RouteControls(List.of()), Clock.systemUTC(), Scope.NONE);
    assertThat(unaware.groups().get(0).members())
        .as("not knowing itself, it would be a member")
        .extracting(m -> m.name())
        .contains("holdfast");
  }
}
