package dev.holdfast.plan;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;
import static dev.holdfast.testing.Containers.idFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupDiscovery;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.group.Labels;
import dev.holdfast.testing.Containers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final String V1 = "sha256:" + "1".repeat(64);
  private static final String V2 = "sha256:" + "2".repeat(64);
  private static final String DIGEST = "sha256:" + "d".repeat(64);

  private final ContainerView holder = holderOf("dns", "dns-net").build();

  private Group group(ContainerView... members) {
    List<ContainerView> all = new ArrayList<>(List.of(members));
    all.add(holder);
    return GroupDiscovery.discover(all, new InMemoryGroupMemory()).get(0);
  }

  private ContainerView app(String name) {
    return container(name).in(holder.id()).image("reg.test/pdns:4", V1).build();
  }

  /** A member of group dns left in the namespace of its old holder, which is gone. */
  private static Containers stale(String name) {
    return container(name).in(idFor("old dns-net")).label(Labels.GROUP, "dns");
  }

  private ContainerView router() {
    return container("dns-bird")
        .in(holder.id())
        .label(Labels.ROLE, "router")
        .image("reg.test/bird:2", V1)
        .build();
  }

  private static Target newImage(String member, String ref) {
    return new Target(member, ref, V1, V2, DIGEST, true);
  }

  /** A heal's target: the member recreated from the image it runs. */
  private static Target sameImage(String member) {
    return new Target(member, V1, V1, V1, "", false);
  }

  private static Plan update(Group group, String runId, Target... targets) {
    return plan(PlanKind.UPDATE, group, runId, targets);
  }

  private static Plan heal(Group group, String runId, Target... targets) {
    return plan(PlanKind.HEAL, group, runId, targets);
  }

  /** The plan of a run with these targets, in this order. */
  private static Plan plan(PlanKind kind, Group group, String runId, Target... targets) {
    Map<String, Target> byMember = new LinkedHashMap<>();
    for (Target t : targets) {
      byMember.put(t.member(), t);
    }
    return Planner.plan(kind, group, byMember, runId);
  }

  @Test
  void appUpdateWithdrawsBeforeStoppingAndAnnouncesAfterTheGate() {
    Plan plan =
        update(group(app("dns-pdns"), router()), "r1", newImage("dns-pdns", "reg.test/pdns:4"));

    assertThat(plan.render())
        .isEqualTo(
            """
            update group dns (holder dns-net %s)
              1. pull      dns-pdns               reg.test/pdns:4  sha256:111111111111 -> sha256:222222222222 digest sha256:dddddddddddd
              2. create    dns-pdns.holdfast-new-r1 app from reg.test/pdns:4 in container:%s
              3. withdraw  dns-bird               strategy stop
              4. stop      dns-pdns               app
              5. set-aside dns-pdns               as dns-pdns.holdfast-old-r1
              6. place     dns-pdns               from dns-pdns.holdfast-new-r1
              7. start     dns-pdns
              8. gate      dns-pdns               docker-healthcheck within 1m
              9. announce  dns-bird               strategy stop
             10. remove    dns-pdns.holdfast-old-r1 old dns-pdns
              note: dns-bird: image unchanged
            """
                .formatted(holder.shortId(), holder.shortId()));
  }

  @Test
  void routerIsRecreatedAfterEveryAppIsGatedAndAnnouncedLast() {
    Plan plan =
        update(
            group(app("a"), router()),
            "r2",
            newImage("a", "reg.test/pdns:4"),
            newImage("dns-bird", "reg.test/bird:2"));

    List<String> verbs =
        plan.steps().stream().map(s -> s.getClass().getSimpleName() + " " + s.target()).toList();
    assertThat(verbs)
        .containsExactly(
            "Pull a",
            "Pull dns-bird",
            "Create a",
            "Create dns-bird",
            "Withdraw dns-bird",
            "Stop a",
            "SetAside a",
            "Place a",
            "Start a",
            "Gate a",
            "Stop dns-bird",
            "SetAside dns-bird",
            "Place dns-bird",
            "Start dns-bird",
            "Announce dns-bird",
            "Remove a",
            "Remove dns-bird");
  }

  @Test
  void appsAreHandledInTheirLabelledOrder() {
    ContainerView second =
        container("z-first").in(holder.id()).label(Labels.ORDER, "1").image("r/x:1", V1).build();
    ContainerView first =
        container("a-second").in(holder.id()).label(Labels.ORDER, "2").image("r/x:1", V1).build();

    Plan plan =
        update(
            group(first, second),
            "r3",
            newImage("z-first", "r/x:1"),
            newImage("a-second", "r/x:1"));

    assertThat(plan.steps().stream().filter(s -> s instanceof Step.Stop).map(Step::target))
        .containsExactly("z-first", "a-second");
  }

  @Test
  void groupWithoutRouterHasNoRouteSteps() {
    Plan plan = update(group(app("a")), "r4", newImage("a", "reg.test/pdns:4"));

    assertThat(plan.steps())
        .noneMatch(s -> s instanceof Step.Withdraw || s instanceof Step.Announce);
  }

  @Test
  void nothingChangedMeansAnEmptyPlan() {
    Plan plan = update(group(app("a"), router()), "r5");

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.render()).contains("nothing to do").contains("a: image unchanged");
  }

  @Test
  void healRecreatesFromTheSameImageWithoutPull() {
    Plan plan = heal(group(app("a"), router()), "r6", sameImage("a"));

    assertThat(plan.steps()).noneMatch(s -> s instanceof Step.Pull);
    assertThat(plan.render())
        .contains("create    a.holdfast-new-r6      app from sha256:111111111111");
    assertThat(plan.render()).contains("gate      a                      running-for:3s within 1m");
  }

  @Test
  void aHealSetsStaleMembersAsideRunningUnlessTheyWriteSharedStorage() {
    ContainerView stateless = stale("dns-pdns").image("reg.test/pdns:4", V1).build();
    ContainerView writer =
        stale("dns-db")
            .label(Labels.ORDER, "1")
            .image("reg.test/db:1", V1)
            .mount("volume", "db-data", "/var/lib/db", true)
            .mount("bind", "/etc/db", "/etc/db", false)
            .build();
    ContainerView bird =
        stale("dns-bird")
            .label(Labels.ROLE, "router")
            .image("reg.test/bird:2", V1)
            .mount("bind", "/srv/bird", "/etc/bird", false)
            .build();
    Group g = group(stateless, writer, bird);

    Plan plan = heal(g, "r9", sameImage("dns-pdns"), sameImage("dns-db"), sameImage("dns-bird"));

    assertThat(plan.render())
        .isEqualTo(
            """
            heal group dns (holder dns-net %s)
              1. create    dns-pdns.holdfast-new-r9 app from sha256:111111111111 in container:%s
              2. create    dns-db.holdfast-new-r9 app from sha256:111111111111 in container:%s
              3. create    dns-bird.holdfast-new-r9 router from sha256:111111111111 in container:%s
              4. withdraw  dns-bird               strategy stop
              5. set-aside dns-pdns               as dns-pdns.holdfast-old-r9 still running (old namespace; stopped at removal)
              6. place     dns-pdns               from dns-pdns.holdfast-new-r9
              7. start     dns-pdns
              8. gate      dns-pdns               running-for:3s within 1m
              9. stop      dns-db                 app
             10. set-aside dns-db                 as dns-db.holdfast-old-r9
             11. place     dns-db                 from dns-db.holdfast-new-r9
             12. start     dns-db
             13. gate      dns-db                 running-for:3s within 1m
             14. set-aside dns-bird               as dns-bird.holdfast-old-r9 still running (old namespace; stopped at removal)
             15. place     dns-bird               from dns-bird.holdfast-new-r9
             16. start     dns-bird
             17. announce  dns-bird               strategy stop
             18. remove    dns-pdns.holdfast-old-r9 old dns-pdns
             19. remove    dns-db.holdfast-old-r9 old dns-db
             20. remove    dns-bird.holdfast-old-r9 old dns-bird
            """
                .formatted(
                    holder.shortId(),
                    holder.id().substring(0, 12),
                    holder.id().substring(0, 12),
                    holder.id().substring(0, 12)));
  }

  @Test
  void aTargetNamingTheHolderIsRefused() {
    Group g = group(app("a"));

    assertThatThrownBy(() -> update(g, "r7", newImage("dns-net", "busybox")))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("dns-net is the holder of group dns")
        .hasMessageContaining("never");
  }

  @Test
  void aStoppedHolderIsNeverStartedByAPlan() {
    ContainerView stopped = holderOf("dns", "dns-net").state("exited").build();
    Group g = GroupDiscovery.discover(List.of(stopped, app("a")), new InMemoryGroupMemory()).get(0);

    assertThatThrownBy(() -> heal(g, "r8"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("holder dns-net is exited");
  }

  @Test
  void badHealthLabelIsReportedWithTheMemberName() {
    ContainerView bad =
        container("a").in(holder.id()).label(Labels.HEALTH, "udp:53").image("r/x:1", V1).build();

    assertThatThrownBy(() -> update(group(bad), "r9", newImage("a", "r/x:1")))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("a: holdfast.health=udp:53: unknown probe");
  }

  @Test
  void unknownRouteStrategyIsRefused() {
    ContainerView r =
        container("r")
            .in(holder.id())
            .label(Labels.ROLE, "router")
            .label(Labels.ROUTE, "carrier-pigeon")
            .build();

    assertThatThrownBy(() -> update(group(app("a"), r), "r10", newImage("a", "r/x:1")))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("holdfast.route=carrier-pigeon is not a known strategy");
  }

  @Test
  void labelProblemsNameTheMemberAndTheLabel() {
    Group g =
        group(
            container("seed-app")
                .in(holder.id())
                .label(Labels.HEALTH, "tcp:53")
                .label(Labels.HEALTH_RISE, "0")
                .build(),
            container("seed-router")
                .in(holder.id())
                .label(Labels.ROLE, "router")
                .label(Labels.ROUTE, "bird")
                .label(Labels.BIRD_PROTOCOLS, "anycast-4!")
                .build());

    assertThat(Planner.labelProblems(g))
        .containsExactly(
            "seed-router: holdfast.bird.protocols: 'anycast-4!' is not a BIRD protocol name",
            "seed-app: holdfast.health.rise=0: must be a whole number from 1 to 100");
  }
}
