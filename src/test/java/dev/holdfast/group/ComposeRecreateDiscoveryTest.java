package dev.holdfast.group;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.idFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.testing.Containers;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every state Compose leaves a group in while it recreates the holder, in the order {@code docker
 * events} showed for v1 1.29 and v2 2.40 ({@code up -d --force-recreate dns-net}): the group keeps
 * its name, its members stay in it, and it is settling until the new holder has its name.
 */
class ComposeRecreateDiscoveryTest {

  private static final String OLD = idFor("old dns-net");
  private static final String NEW = idFor("new dns-net");

  /** Where the old holder goes aside (v1), or where the new one is created (v2): id_dns-net. */
  private static final String ASIDE = OLD.substring(0, 12) + "_dns-net";

  private final InMemoryGroupMemory memory = new InMemoryGroupMemory();
  private ContainerView app;
  private ContainerView bird;

  private static Containers composed(String name, String service) {
    return container(name)
        .label(ComposeLabels.PROJECT, "seed")
        .label(ComposeLabels.SERVICE, service)
        .label("com.docker.compose.container-number", "1");
  }

  private static ContainerView holder(String id, String name, String state, String started) {
    return composed(name, "dns-net")
        .id(id)
        .image("holdfast-test/holder:1", "sha256:" + "c".repeat(64))
        .state(state)
        .startedAt(started)
        .build();
  }

  /** The old holder, started at 10:00. */
  private static ContainerView old(String name, String state) {
    return holder(OLD, name, state, "2026-01-01T10:00:00Z");
  }

  /** The new holder under its name, started at 11:00. */
  private static ContainerView newRunning() {
    return holder(NEW, "dns-net", "running", "2026-01-01T11:00:00Z");
  }

  @BeforeEach
  void seen() {
    app = composed("dns-app", "dns-app").in(OLD).startedAt("2026-01-01T10:00:01Z").build();
    bird =
        composed("dns-bird", "dns-bird")
            .in(OLD)
            .label(Labels.ROLE, "router")
            .startedAt("2026-01-01T10:00:01Z")
            .build();
    ContainerView running = old("dns-net", "running");
    memory.remember(GroupDiscovery.discover(List.of(running, app, bird), memory));
  }

  private Group only(ContainerView... containers) {
    List<Group> groups = GroupDiscovery.discover(List.of(containers), memory);
    assertThat(groups).extracting(Group::name).containsExactly("dns-net");
    Group g = groups.get(0);
    assertThat(g.members()).extracting(Member::name).containsExactly("dns-app", "dns-bird");
    return g;
  }

  @Test
  void composeV1StopsRenamesTheOldHolderThenCreatesAndStartsTheNewOne() {
    Group stopped = only(old("dns-net", "exited"), app, bird);
    assertThat(stopped.holder().get().id()).isEqualTo(OLD);
    assertThat(stopped.health()).isEqualTo("degraded");

    Group renamed = only(old(ASIDE, "exited"), app, bird);
    assertThat(renamed.holder().get().id()).isEqualTo(OLD);
    assertThat(renamed.settling())
        .singleElement()
        .asString()
        .contains("waiting for the new holder dns-net");

    Group created =
        only(
            old(ASIDE, "exited"),
            holder(NEW, "dns-net", "created", "0001-01-01T00:00:00Z"),
            app,
            bird);
    assertThat(created.holder().get().id()).isEqualTo(NEW);
    assertThat(created.settling()).singleElement().asString().contains("Compose is replacing");
    assertThat(created.members()).noneMatch(Member::attached);

    Group started = only(old(ASIDE, "exited"), newRunning(), app, bird);
    assertThat(started.holder().get().id()).isEqualTo(NEW);
    assertThat(started.isSettling()).isTrue(); // the old one is about to be removed

    Group removed = only(newRunning(), app, bird);
    assertThat(removed.holder().get().id()).isEqualTo(NEW);
    assertThat(removed.isSettling()).isFalse();
    assertThat(removed.members())
        .allSatisfy(
            m ->
                assertThat(m.stale())
                    .hasValueSatisfying(s -> assertThat(s).contains(NEW.substring(0, 12))));
  }

  @Test
  void composeV2CreatesTheNewHolderUnderATemporaryNameThenRemovesTheOldAndRenames() {
    ContainerView fresh =
        composed(ASIDE, "dns-net")
            .id(NEW)
            .label(ComposeLabels.REPLACE, "dns-net")
            .state("created")
            .startedAt("0001-01-01T00:00:00Z")
            .build();

    Group createdBeside = only(old("dns-net", "running"), fresh, app, bird);
    assertThat(createdBeside.holder().get().id()).isEqualTo(OLD);
    assertThat(createdBeside.members()).allMatch(Member::attached);
    assertThat(createdBeside.settling())
        .singleElement()
        .asString()
        .contains("Compose is replacing");

    Group oldRemoved = only(fresh, app, bird);
    assertThat(oldRemoved.holder().get().id()).isEqualTo(NEW);
    assertThat(oldRemoved.settling())
        .singleElement()
        .asString()
        .contains("waiting for the new holder dns-net");
    assertThat(oldRemoved.members()).noneMatch(Member::attached);

    Group renamedAndStarted = only(newRunning(), app, bird);
    assertThat(renamedAndStarted.holder().get().id()).isEqualTo(NEW);
    assertThat(renamedAndStarted.isSettling()).isFalse();
    assertThat(renamedAndStarted.members()).noneMatch(Member::attached);
  }

  @Test
  void aMemberComposeRecreatesIsNotAMemberTwiceAndMarksTheGroupSettling() {
    ContainerView holder = old("dns-net", "running");
    ContainerView v2Temporary =
        composed(idFor("x").substring(0, 12) + "_dns-app", "dns-app")
            .in(OLD)
            .label(ComposeLabels.REPLACE, "dns-app")
            .state("created")
            .build();

    Group g = only(holder, app, bird, v2Temporary);

    assertThat(g.settling()).singleElement().asString().contains("Compose is recreating dns-app");
  }

  @Test
  void theGroupNameNeverBecomesTheTemporaryNameInMemory() {
    memory.remember(GroupDiscovery.discover(List.of(old(ASIDE, "exited"), app, bird), memory));

    assertThat(memory.holder(OLD))
        .contains(new GroupMemory.Remembered("dns-net", "dns-net", "seed/dns-net"));
  }

  @Test
  void aHolderRecreatedUnderAnotherNameIsFoundByItsComposeService() {
    ContainerView renamed =
        composed("seed-dns-net-1", "dns-net")
            .id(NEW)
            .state("running")
            .startedAt("2026-01-01T11:00:00Z")
            .build();

    List<Group> groups = GroupDiscovery.discover(List.of(renamed, app, bird), memory);

    assertThat(groups).singleElement().satisfies(g -> assertThat(g.holder()).contains(renamed));
  }

  @Test
  void aLabelledMemberOutOfTheNamespaceNeverTakesOverFromARunningHolder() {
    ContainerView holder =
        container("dns-net").label(Labels.GROUP, "dns").startedAt("2026-01-01T10:00:00Z").build();
    ContainerView router =
        container("dns-bird").in(holder.id()).label(Labels.ROLE, "router").build();
    ContainerView bridged =
        container("dns-app")
            .label(Labels.GROUP, "dns")
            .networkMode("bridge")
            .startedAt("2026-01-01T12:00:00Z")
            .build();

    Group g = GroupDiscovery.discover(List.of(holder, router, bridged), memory).get(0);

    assertThat(g.holder()).contains(holder);
    assertThat(g.member("dns-app").orElseThrow().stale())
        .hasValueSatisfying(s -> assertThat(s).contains("network mode bridge"));
  }

  @Test
  void aUsersOwnContainerThatLooksTemporaryIsAnOrdinaryHolder() {
    ContainerView h = container("abcdefabcdef_net").build();
    List<Group> groups =
        GroupDiscovery.discover(List.of(h, container("web").in(h.id()).build()), memory);

    assertThat(groups).extracting(Group::name).containsExactly("abcdefabcdef_net");
    assertThat(groups.get(0).isSettling()).isFalse();
  }
}
