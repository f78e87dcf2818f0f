package dev.holdfast.plan;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupDiscovery;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.group.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rollback plans as text: what a failed run undoes, computed from its typed record. */
class RollbackPlannerTest {

  private static final String V1 = "sha256:" + "1".repeat(64);
  private static final String V2 = "sha256:" + "2".repeat(64);

  private final ContainerView holder = holderOf("dns", "dns-net").build();

  private Group group() {
    return GroupDiscovery.discover(
            List.of(
                holder,
                container("dns-pdns").in(holder.id()).image("reg.test/pdns:4", V1).build(),
                container("dns-bird")
                    .in(holder.id())
                    .label(Labels.ROLE, "router")
                    .image("reg.test/bird:2", V1)
                    .restartPolicy("always")
                    .build()),
            new InMemoryGroupMemory())
        .get(0);
  }

  private Plan update(Map<String, Target> targets) {
    return Planner.plan(PlanKind.UPDATE, group(), targets, "r1");
  }

  /** The forward plan's records: the first {@code done} steps done, the next one failed. */
  private static List<StepRecord> records(Plan plan, int done) {
    List<StepRecord> out = new ArrayList<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      StepState state =
          i < done ? StepState.DONE : i == done ? StepState.FAILED : StepState.SKIPPED;
      out.add(StepRecord.planned(plan.steps().get(i), Phase.FORWARD).with(state, null, null, null));
    }
    return out;
  }

  private static Progress progress(Plan plan, List<StepRecord> records) {
    return Progress.of(
        "r1",
        records,
        m -> m.equals("dns-bird") ? dev.holdfast.group.Role.ROUTER : dev.holdfast.group.Role.APP);
  }

  @Test
  void aGateThatFailsRestoresTheOldAppGatesItAndAnnouncesOnlyIfItPasses() {
    Plan plan =
        update(Map.of("dns-pdns", new Target("dns-pdns", "reg.test/pdns:4", V1, V2, "", true)));
    int gate = indexOf(plan, StepAction.GATE);

    Plan rollback = RollbackPlanner.plan(plan, progress(plan, records(plan, gate)), "gate failed");

    assertThat(rollback.render())
        .isEqualTo(
            """
            rollback of update group dns (holder dns-net %s): gate failed
              1. restore   dns-pdns               from dns-pdns.holdfast-old-r1, restart policy unless-stopped; the run's replacement removed
              2. start     dns-pdns
              3. gate      dns-pdns               as its container is labelled (a failure keeps the route withdrawn)
              4. announce  dns-bird               strategy stop (if every app passed its gate)
            """
                .formatted(holder.shortId()));
  }

  @Test
  void aFailedCreateOnlyDiscardsTheReplacementsAndTouchesNothingThatServes() {
    Plan plan =
        update(
            Map.of(
                "dns-pdns", new Target("dns-pdns", "reg.test/pdns:4", V1, V2, "", true),
                "dns-bird", new Target("dns-bird", "reg.test/bird:2", V1, V2, "", false)));
    int secondCreate = indexOf(plan, StepAction.CREATE) + 1;

    Plan rollback =
        RollbackPlanner.plan(plan, progress(plan, records(plan, secondCreate)), "create failed");

    assertThat(rollback.render())
        .isEqualTo(
            """
            rollback of update group dns (holder dns-net %s): create failed
              1. discard   dns-bird               the run's replacement (dns-bird.holdfast-new-r1)
              2. discard   dns-pdns               the run's replacement (dns-pdns.holdfast-new-r1)
              note: nothing was stopped or withdrawn
            """
                .formatted(holder.shortId()));
  }

  @Test
  void aRecreatedRouterIsRestoredWithItsOwnPolicyAndStartedOnlyIfTheAppsPass() {
    Plan plan =
        update(
            Map.of(
                "dns-pdns", new Target("dns-pdns", "reg.test/pdns:4", V1, V2, "", true),
                "dns-bird", new Target("dns-bird", "reg.test/bird:2", V1, V2, "", false)));
    int routerStart = lastIndexOf(plan, StepAction.START);

    Plan rollback =
        RollbackPlanner.plan(
            plan, progress(plan, records(plan, routerStart)), "start dns-bird failed");

    assertThat(rollback.render())
        .isEqualTo(
            """
            rollback of update group dns (holder dns-net %s): start dns-bird failed
              1. restore   dns-bird               from dns-bird.holdfast-old-r1, restart policy always; the run's replacement removed
              2. restore   dns-pdns               from dns-pdns.holdfast-old-r1, restart policy unless-stopped; the run's replacement removed
              3. start     dns-pdns
              4. gate      dns-pdns               as its container is labelled (a failure keeps the route withdrawn)
              5. start     dns-bird               (if every app passed its gate)
              6. announce  dns-bird               strategy stop (if every app passed its gate)
            """
                .formatted(holder.shortId()));
  }

  @Test
  void aHealRollbackKeepsTheOldMembersUnderTheirNamesAndTheRouteWithdrawn() {
    Plan plan =
        Planner.plan(
            PlanKind.HEAL,
            group(),
            Map.of("dns-pdns", new Target("dns-pdns", V1, V1, V1, "", false)),
            "r1");
    int start = indexOf(plan, StepAction.START);

    Plan rollback = RollbackPlanner.plan(plan, progress(plan, records(plan, start)), "no holder");

    assertThat(rollback.render())
        .isEqualTo(
            """
            rollback of heal group dns (holder dns-net %s): no holder
              1. restore   dns-pdns               from dns-pdns.holdfast-old-r1, restart policy unless-stopped; the run's replacement removed
              note: a heal keeps the old members under their names and the route withdrawn
            """
                .formatted(holder.shortId()));
  }

  static int indexOf(Plan plan, StepAction action) {
    for (int i = 0; i < plan.steps().size(); i++) {
      if (plan.steps().get(i).action() == action) {
        return i;
      }
    }
    throw new AssertionError("no " + action + " in\n" + plan.render());
  }

  static int lastIndexOf(Plan plan, StepAction action) {
    for (int i = plan.steps().size() - 1; i >= 0; i--) {
      if (plan.steps().get(i).action() == action) {
        return i;
      }
    }
    throw new AssertionError("no " + action + " in\n" + plan.render());
  }
}
