package dev.holdfast.group;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.idFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupDiscoveryTest {

  private final InMemoryGroupMemory memory = new InMemoryGroupMemory();

  private static ContainerView holder(String name) {
    return container(name)
        .label(Labels.GROUP, "dns")
        .label(Labels.ROLE, "holder")
        .image("busybox:1", "sha256:" + "b".repeat(64))
        .build();
  }

  @Test
  void labelledGroupHasHolderAppsInOrderThenRouter() {
    ContainerView holder = holder("dns-net");
    List<Group> groups =
        GroupDiscovery.discover(
            List.of(
                holder,
                container("dns-bird").in(holder.id()).label(Labels.ROLE, "router").build(),
                container("dns-b").in(holder.id()).label(Labels.ORDER, "2").build(),
                container("dns-a").in(holder.id()).label(Labels.ORDER, "1").build(),
                container("unrelated").build()),
            memory);

    assertThat(groups).hasSize(1);
    Group g = groups.get(0);
    assertThat(g.name()).isEqualTo("dns");
    assertThat(g.holder()).contains(holder);
    assertThat(g.members()).extracting(Member::name).containsExactly("dns-a", "dns-b", "dns-bird");
    assertThat(g.members())
        .extracting(Member::role)
        .containsExactly(Role.APP, Role.APP, Role.ROUTER);
    assertThat(g.members()).allMatch(Member::attached);
    assertThat(g.health()).isEqualTo("ok");
  }

  @Test
  void unlabelledContainerNamespaceMakesAGroupNamedAfterTheHolder() {
    ContainerView holder = container("pdns-net").build();
    List<Group> groups =
        GroupDiscovery.discover(List.of(holder, container("pdns").in(holder.id()).build()), memory);

    assertThat(groups).extracting(Group::name).containsExactly("pdns-net");
    assertThat(groups.get(0).members()).extracting(Member::name).containsExactly("pdns");
  }

  @Test
  void composeStyleReferenceByNameResolves() {
    ContainerView holder = container("net").build();
    List<Group> groups =
        GroupDiscovery.discover(List.of(holder, container("app").in("net").build()), memory);

    assertThat(groups.get(0).members().get(0).attached()).isTrue();
  }

  @Test
  void memberOfARecreatedLabelledHolderIsStale() {
    ContainerView newHolder = holder("dns-net");
    String oldId = idFor("old-holder");
    List<Group> groups =
        GroupDiscovery.discover(
            List.of(newHolder, container("dns-app").in(oldId).label(Labels.GROUP, "dns").build()),
            memory);

    Member app = groups.get(0).members().get(0);
    assertThat(app.attached()).isFalse();
    assertThat(app.stale())
        .hasValueSatisfying(
            s -> assertThat(s).contains(oldId.substring(0, 12)).contains(newHolder.shortId()));
    assertThat(groups.get(0).health()).isEqualTo("degraded");
  }

  @Test
  void unlabelledMemberOfARemovedHolderIsFoundThroughMemory() {
    ContainerView oldHolder = container("pdns-net").id(idFor("first")).build();
    ContainerView app = container("pdns").in(oldHolder.id()).build();
    memory.remember(GroupDiscovery.discover(List.of(oldHolder, app), memory));
    ContainerView newHolder = container("pdns-net").id(idFor("second")).build();

    List<Group> groups = GroupDiscovery.discover(List.of(newHolder, app), memory);

    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).holder()).contains(newHolder);
    assertThat(groups.get(0).members())
        .singleElement()
        .satisfies(m -> assertThat(m.attached()).isFalse());
  }

  @Test
  void memberStartedBeforeItsHolderRestartedIsStale() {
    ContainerView holder =
        container("net").label(Labels.ROLE, "holder").startedAt("2026-01-01T12:00:00Z").build();
    ContainerView app = container("app").in(holder.id()).startedAt("2026-01-01T11:00:00Z").build();

    Member m = GroupDiscovery.discover(List.of(holder, app), memory).get(0).members().get(0);

    assertThat(m.stale()).hasValueSatisfying(s -> assertThat(s).contains("holder restarted"));
  }

  @Test
  void memberRestartedAfterItsHolderIsAttached() {
    ContainerView holder =
        container("net").label(Labels.ROLE, "holder").startedAt("2026-01-01T12:00:00Z").build();
    ContainerView app = container("app").in(holder.id()).startedAt("2026-01-01T12:00:01Z").build();

    assertThat(
            GroupDiscovery.discover(List.of(holder, app), memory)
                .get(0)
                .members()
                .get(0)
                .attached())
        .isTrue();
  }

  @Test
  void aMemberThatStoppedWithItsHoldersNamespaceIsStale() {
    ContainerView holder =
        container("net")
            .label(Labels.ROLE, "holder")
            .finishedAt("2026-01-01T12:00:00Z")
            .startedAt("2026-01-01T12:00:05Z")
            .build();
    ContainerView router =
        container("bird")
            .in(holder.id())
            .state("exited")
            .finishedAt("2026-01-01T11:59:40Z")
            .build();

    Member m = GroupDiscovery.discover(List.of(holder, router), memory).get(0).members().get(0);

    assertThat(m.stale()).hasValueSatisfying(s -> assertThat(s).contains("namespace went away"));
  }

  @Test
  void aMemberAnOperatorStoppedLongBeforeStaysStopped() {
    ContainerView holder =
        container("net")
            .label(Labels.ROLE, "holder")
            .finishedAt("2026-01-01T12:00:00Z")
            .startedAt("2026-01-01T12:00:05Z")
            .build();
    ContainerView old =
        container("app").in(holder.id()).state("exited").finishedAt("2026-01-01T09:00:00Z").build();
    ContainerView later =
        container("app2")
            .in(holder.id())
            .state("exited")
            .finishedAt("2026-01-01T12:30:00Z")
            .build();

    List<Member> members =
        GroupDiscovery.discover(List.of(holder, old, later), memory).get(0).members();

    assertThat(members).allMatch(Member::attached);
  }

  @Test
  void containersSetAsideByARunAreNotMembers() {
    ContainerView holder = holder("dns-net");
    List<Group> groups =
        GroupDiscovery.discover(
            List.of(
                holder,
                container("app").in(holder.id()).build(),
                container("app.holdfast-old-ab12cd34").in(holder.id()).state("exited").build(),
                container("app.holdfast-new-ab12cd34").in(holder.id()).state("created").build()),
            memory);

    assertThat(groups.get(0).members()).extracting(Member::name).containsExactly("app");
  }

  @Test
  void labelledMembersWithoutAnyHolderFormAGroupWithoutHolder() {
    List<Group> groups =
        GroupDiscovery.discover(
            List.of(container("app").in(idFor("gone")).label(Labels.GROUP, "dns").build()), memory);

    assertThat(groups)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.holder()).isEmpty();
              assertThat(g.members().get(0).stale()).contains("the group's holder is gone");
            });
  }

  @Test
  void ofTwoHoldersClaimingAGroupTheRunningOneWins() {
    ContainerView stopped =
        container("net-old")
            .label(Labels.GROUP, "dns")
            .label(Labels.ROLE, "holder")
            .state("exited")
            .build();
    ContainerView running = holder("net-new");

    List<Group> groups = GroupDiscovery.discover(List.of(stopped, running), memory);

    assertThat(groups).singleElement().satisfies(g -> assertThat(g.holder()).contains(running));
  }
}
