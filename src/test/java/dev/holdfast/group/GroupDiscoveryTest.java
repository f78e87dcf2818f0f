package dev.holdfast.group;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;
import static dev.holdfast.testing.Containers.idFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.testing.Containers;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupDiscoveryTest {

  private final InMemoryGroupMemory memory = new InMemoryGroupMemory();
  private final ContainerView dnsNet = holder("dns-net");

  private static ContainerView holder(String name) {
    return holderOf("dns", name).image("busybox:1", "sha256:" + "b".repeat(64)).build();
  }

  private List<Group> discover(ContainerView... containers) {
    return GroupDiscovery.discover(List.of(containers), memory);
  }

  /** The first member of the first group discovered among these containers. */
  private Member firstMember(ContainerView... containers) {
    return discover(containers).get(0).members().get(0);
  }

  /** A holder labelled by its role only, so its group is named after it: net. */
  private static Containers net() {
    return container("net").label(Labels.ROLE, "holder");
  }

  /** net, whose namespace went away at noon: it stopped then, and started again 5 s later. */
  private static ContainerView netRestartedAtNoon() {
    return net().finishedAt("2026-01-01T12:00:00Z").startedAt("2026-01-01T12:00:05Z").build();
  }

  /** A member of the holder with this id that exited at {@code finishedAt}. */
  private static ContainerView exited(String name, String holderId, String finishedAt) {
    return container(name).in(holderId).state("exited").finishedAt(finishedAt).build();
  }

  @Test
  void labelledGroupHasHolderAppsInOrderThenRouter() {
    List<Group> groups =
        discover(
            dnsNet,
            container("dns-bird").in(dnsNet.id()).label(Labels.ROLE, "router").build(),
            container("dns-b").in(dnsNet.id()).label(Labels.ORDER, "2").build(),
            container("dns-a").in(dnsNet.id()).label(Labels.ORDER, "1").build(),
            container("unrelated").build());

    assertThat(groups).hasSize(1);
    Group g = groups.get(0);
    assertThat(g.name()).isEqualTo("dns");
    assertThat(g.holder()).contains(dnsNet);
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
    List<Group> groups = discover(holder, container("pdns").in(holder.id()).build());

    assertThat(groups).extracting(Group::name).containsExactly("pdns-net");
    assertThat(groups.get(0).members()).extracting(Member::name).containsExactly("pdns");
  }

  @Test
  void composeStyleReferenceByNameResolves() {
    ContainerView holder = container("net").build();

    assertThat(firstMember(holder, container("app").in("net").build()).attached()).isTrue();
  }

  @Test
  void memberOfARecreatedLabelledHolderIsStale() {
    ContainerView newHolder = holder("dns-net");
    String oldId = idFor("old-holder");
    List<Group> groups =
        discover(newHolder, container("dns-app").in(oldId).label(Labels.GROUP, "dns").build());

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
    memory.remember(discover(oldHolder, app));
    ContainerView newHolder = container("pdns-net").id(idFor("second")).build();

    List<Group> groups = discover(newHolder, app);

    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).holder()).contains(newHolder);
    assertThat(groups.get(0).members())
        .singleElement()
        .satisfies(m -> assertThat(m.attached()).isFalse());
  }

  @Test
  void memberStartedBeforeItsHolderRestartedIsStale() {
    ContainerView holder = net().startedAt("2026-01-01T12:00:00Z").build();
    ContainerView app = container("app").in(holder.id()).startedAt("2026-01-01T11:00:00Z").build();

    Member m = firstMember(holder, app);

    assertThat(m.stale()).hasValueSatisfying(s -> assertThat(s).contains("holder restarted"));
  }

  @Test
  void memberRestartedAfterItsHolderIsAttached() {
    ContainerView holder = net().startedAt("2026-01-01T12:00:00Z").build();
    ContainerView app = container("app").in(holder.id()).startedAt("2026-01-01T12:00:01Z").build();

    assertThat(firstMember(holder, app).attached()).isTrue();
  }

  @Test
  void aMemberThatStoppedWithItsHoldersNamespaceIsStale() {
    ContainerView holder = netRestartedAtNoon();
    ContainerView router = exited("bird", holder.id(), "2026-01-01T11:59:40Z");

    Member m = firstMember(holder, router);

    assertThat(m.stale()).hasValueSatisfying(s -> assertThat(s).contains("namespace went away"));
  }

  @Test
  void aMemberAnOperatorStoppedLongBeforeStaysStopped() {
    ContainerView holder = netRestartedAtNoon();
    ContainerView old = exited("app", holder.id(), "2026-01-01T09:00:00Z");
    ContainerView later = exited("app2", holder.id(), "2026-01-01T12:30:00Z");

    List<Member> members = discover(holder, old, later).get(0).members();

    assertThat(members).allMatch(Member::attached);
  }

  @Test
  void containersSetAsideByARunAreNotMembers() {
    List<Group> groups =
        discover(
            dnsNet,
            container("app").in(dnsNet.id()).build(),
            container("app.holdfast-old-ab12cd34").in(dnsNet.id()).state("exited").build(),
            container("app.holdfast-new-ab12cd34").in(dnsNet.id()).state("created").build());

    assertThat(groups.get(0).members()).extracting(Member::name).containsExactly("app");
  }

  @Test
  void labelledMembersWithoutAnyHolderFormAGroupWithoutHolder() {
    List<Group> groups =
        discover(container("app").in(idFor("gone")).label(Labels.GROUP, "dns").build());

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
    ContainerView stopped = holderOf("dns", "net-old").state("exited").build();
    ContainerView running = holder("net-new");

    List<Group> groups = discover(stopped, running);

    assertThat(groups).singleElement().satisfies(g -> assertThat(g.holder()).contains(running));
  }
}
