package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.plan.Phase;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import dev.holdfast.run.RunRecord;
import dev.holdfast.run.RunState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** An update of app that pulled, gated for 1.5 s and succeeded in 2 s. */
  static RunRecord update() {
    return new RunRecord(
        "r1",
        "dns",
        PlanKind.UPDATE,
        "api",
        RunState.SUCCEEDED,
        T0,
        T0,
        T0.plusSeconds(2),
        "plan",
        List.of(
            step(StepAction.PULL, T0, T0.plusMillis(200)),
            step(StepAction.GATE, T0.plusMillis(300), T0.plusMillis(1800)),
            new StepRecord(
                "announce",
                StepAction.ANNOUNCE,
                Phase.FORWARD,
                "dns-bird",
                StepState.PENDING,
                null,
                null,
                null)),
        null);
  }

  private static StepRecord step(StepAction action, Instant from, Instant to) {
    return new StepRecord(
        action.label() + " app", action, Phase.FORWARD, "app", StepState.DONE, from, to, null);
  }

  @Test
  void anEndedRunIsCountedAndItsRunStepAndGateTimesAreHistograms() {
    Metrics metrics = new Metrics();
    metrics.ended(update());
    String text = metrics.scrape();

    assertThat(text)
        .contains("holdfast_runs_total{kind=\"update\",state=\"succeeded\"} 1.0")
        .contains("holdfast_run_duration_seconds_count{kind=\"update\",state=\"succeeded\"} 1")
        .contains("holdfast_run_duration_seconds_sum{kind=\"update\",state=\"succeeded\"} 2.0")
        .contains(
            "holdfast_step_duration_seconds_count{action=\"pull\",phase=\"forward\",state=\"done\"} 1")
        .contains("holdfast_gate_duration_seconds_sum{state=\"done\"} 1.5")
        .contains("holdfast_gate_duration_seconds_bucket{state=\"done\",le=\"");
    assertThat(text).as("a step that never ran has no time").doesNotContain("action=\"announce\"");
  }
}
