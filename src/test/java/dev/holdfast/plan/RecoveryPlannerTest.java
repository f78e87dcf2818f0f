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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Recovery plans as text: what the next process does with a run the last one left in flight,
 * computed from the run's typed record and the group as it is then.
 */
class RecoveryPlannerTest {

  private static final String V1 = "sha256:" + "1".repeat(64);
  private static final String V2 = "sha256:" + "2".repeat(64);

  private final ContainerView holder = holderOf("dns", "dns-net").build();
  private final ContainerView bird =
      container("dns-bird")
          .in(holder.id())
          .label(Labels.ROLE, "router")
          .image("reg.test/bird:2", V1)
          .build();

  /** dns-pdns as it was before the run: its old image. */
  private final ContainerView app =
      container("dns-pdns").in(holder.id()).image("reg.test/pdns:4", V1).build();

  private Group group(ContainerView app) {
    return GroupDiscovery.discover(List.of(holder, app, bird), new InMemoryGroupMemory()).get(0);
  }

  private Plan update() {
    return Planner.plan(
        PlanKind.UPDATE,
        group(app),
        Map.of("dns-pdns", new Target("dns-pdns", "reg.test/pdns:4", V1, V2, "", true)),
        "r1");
  }

  /** What the next process does with the update r1 it left with these records, in group now. */
  private static RecoveryPlanner.Recovery recover(List<StepRecord> records, Group now) {
    return RecoveryPlanner.plan("r1", PlanKind.UPDATE, "dns", records, Optional.of(now), "killed");
  }

  /** The process died at the boundary after the first {@code done} steps. */
  private static List<StepRecord> killedAfter(Plan plan, int done) {
    List<StepRecord> out = new ArrayList<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      StepState state = i < done ? StepState.DONE : StepState.PENDING;
      out.add(StepRecord.planned(plan.steps().get(i), Phase.FORWARD).with(state, null, null, null));
    }
    return out;
  }

  @Test
  void anUpdateKilledAfterTheOldAppWasSetAsideIsRolledBack() {
    Plan plan = update();
    // the old app is set aside; the replacement still has its temporary name
    Group now = GroupDiscovery.discover(List.of(holder, bird), new InMemoryGroupMemory()).get(0);

    RecoveryPlanner.Recovery r = recover(killedAfter(plan, 5), now);

    assertThat(r.ending()).isEqualTo(RecoveryPlanner.Ending.ROLLED_BACK);
    assertThat(r.plan().render())
        .isEqualTo(
            """
            recovery of update group dns (holder dns-net %s): killed
              1. restore   dns-pdns               from dns-pdns.holdfast-old-r1; the run's replacement removed
              2. start     dns-pdns
              3. gate      dns-pdns               as its container is labelled (a failure keeps the route withdrawn)
              4. announce  dns-bird               strategy stop (if every app passed its gate)
            """
                .formatted(holder.shortId()));
  }

  @Test
  void anUpdateKilledAfterItsGatePassedIsFinished() {
    Plan plan = update();
    ContainerView replacement =
        container("dns-pdns")
            .in(holder.id())
            .image("reg.test/pdns:4", V2)
            .label(Labels.CREATED_BY_RUN, "r1")
            .build();
    int gate = RollbackPlannerTest.indexOf(plan, StepAction.GATE);

    RecoveryPlanner.Recovery r = recover(killedAfter(plan, gate + 1), group(replacement));

    assertThat(r.ending()).isEqualTo(RecoveryPlanner.Ending.FINISHED_FORWARD);
    assertThat(r.kept()).containsExactly("dns-pdns");
    assertThat(r.plan().render())
        .isEqualTo(
            """
            recovery of update group dns (holder dns-net %s): killed
              1. remove    dns-pdns.holdfast-old-r1 old dns-pdns
              2. gate      dns-pdns               as its container is labelled (a failure keeps the route withdrawn)
              3. announce  dns-bird               strategy stop (if every app passed its gate)
              note: dns-pdns: its replacement passed its gate and is kept
            """
                .formatted(holder.shortId()));
  }

  @Test
  void aRunKilledBeforeAnythingServedChangedOnlyLosesItsReplacement() {
    Plan plan = update();
    int create = RollbackPlannerTest.indexOf(plan, StepAction.CREATE);

    RecoveryPlanner.Recovery r = recover(killedAfter(plan, create + 1), group(app));

    assertThat(r.ending()).isEqualTo(RecoveryPlanner.Ending.NOTHING_SERVED_CHANGED);
    assertThat(r.plan().render())
        .isEqualTo(
            """
            recovery of update group dns (holder dns-net %s): killed
              1. discard   dns-pdns               the run's replacement (dns-pdns.holdfast-new-r1)
              note: nothing that serves was changed
            """
                .formatted(holder.shortId()));
  }

  @Test
  void aRecoveryReadsRollbackStepsAsWhatTheyAreNotAsTheForwardPlan() {
    Plan plan = update();
    int gate = RollbackPlannerTest.indexOf(plan, StepAction.GATE);
    List<StepRecord> steps = new ArrayList<>();
    for (int i = 0; i < plan.steps().size(); i++) {
      StepState s = i < gate ? StepState.DONE : i == gate ? StepState.FAILED : StepState.SKIPPED;
      steps.add(StepRecord.planned(plan.steps().get(i), Phase.FORWARD).with(s, null, null, null));
    }
    // killed in the rollback, after the old app got its name back
    steps.add(
        StepRecord.planned(
                new Step.Restore(
                    "dns-pdns", "dns-pdns.holdfast-new-r1", "dns-pdns.holdfast-old-r1", null),
                Phase.ROLLBACK)
            .with(StepState.DONE, null, null, null));

    RecoveryPlanner.Recovery r = recover(steps, group(app)); // the old app, back under its name

    assertThat(r.ending()).isEqualTo(RecoveryPlanner.Ending.ROLLED_BACK);
    assertThat(r.plan().steps())
        .extracting(Step::action)
        .containsExactly(
            StepAction.RESTORE, StepAction.START, StepAction.GATE, StepAction.ANNOUNCE);
  }
}
