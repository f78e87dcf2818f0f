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
import java.util.LinkedHashMap;
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

  /** dns-pdns to its new image. */
  private static final Target PDNS = new Target("dns-pdns", "reg.test/pdns:4", V1, V2, "", true);

  /** The router to its new image. */
  private static final Target BIRD = new Target("dns-bird", "reg.test/bird:2", V1, V2, "", false);

  private Plan update(Target... targets) {
    return plan(PlanKind.UPDATE, targets);
  }

  private Plan plan(PlanKind kind, Target... targets) {
    Map<String, Target> byMember = new LinkedHashMap<>();
    for (Target t : targets) {
      byMember.put(t.member(), t);
    }
    return Planner.plan(kind, group(), byMember, "r1");
  }

  /** The rollback of a plan whose first {@code done} steps were done and the next one failed. */
  private static Plan rollback(Plan plan, int done, String reason) {
    return RollbackPlanner.plan(plan, progress(plan, records(plan, done)), reason);
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
    Plan plan = update(PDNS);

    Plan rollback = rollback(plan, indexOf(plan, StepAction.GATE), "gate failed");

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
    Plan plan = update(PDNS, BIRD);
    int secondCreate = indexOf(plan, StepAction.CREATE) + 1;

    Plan rollback = rollback(plan, secondCreate, "create failed");

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
    Plan plan = update(PDNS, BIRD);

    Plan rollback = rollback(plan, lastIndexOf(plan, StepAction.START), "start dns-bird failed");

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
    Plan plan = plan(PlanKind.HEAL, new Target("dns-pdns", V1, V1, V1, "", false));

    Plan rollback = rollback(plan, indexOf(plan, StepAction.START), "no holder");

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
