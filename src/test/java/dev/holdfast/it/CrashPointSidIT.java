package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.Docker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One crash point of {@link CrashMatrixIT} on sid's Docker 28 with the containerd image store: the
 * update killed right after it set the old app aside, the moment with the most in flight (route
 * withdrawn, the old app stopped under its set-aside name, the replacement created under its
 * temporary one, nothing under the member's name). The next process must bring one of them back
 * under the name, gate it and announce.
 */
class CrashPointSidIT extends CrashScenario {

  @Override
  Docker engine() {
    return Docker.SID;
  }

  @Test
  void anUpdateKilledAfterTheSetAsideIsFinishedOrRolledBack() {
    publishNext();
    List<String> steps = updateSteps();
    int setAside = 0;
    while (setAside < steps.size() && !steps.get(setAside).startsWith("set-aside")) {
      setAside++;
    }
    assertThat(setAside).as("the plan sets the app aside: %s", steps).isLessThan(steps.size());

    updateKilledAt(setAside + 1, steps.size());
  }
}
