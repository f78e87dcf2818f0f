package dev.holdfast.store;

import static dev.holdfast.store.Runs.T0;
import static dev.holdfast.store.Runs.at;
import static dev.holdfast.store.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.plan.Phase;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import dev.holdfast.run.RunRecord;
import dev.holdfast.run.RunStore;
import dev.holdfast.run.RunStore.RunQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} does, run against the in-memory fake and the SQLite store alike: it
 * pins the fake the other tests use to the real store.
 */
abstract class RunStoreContract {

  /** A fresh, empty store. */
  abstract RunStore store();

  @Test
  void savedRunComesBackWithEveryFieldAndStep() {
    RunStore store = store();
    RunRecord run = run("r1", "dns", "update", "failed", at(0));
    store.save(run);

    assertThat(store.get("r1")).contains(run);
    RunRecord back = store.get("r1").orElseThrow();
    assertThat(back.steps()).containsExactlyElementsOf(run.steps());
    assertThat(back.endedAt()).isEqualTo(run.endedAt()); // to the nanosecond
    assertThat(back.steps().get(0).endedAt()).isEqualTo(at(900).plusNanos(1));
  }

  @Test
  void nullFieldsAndNoStepsRoundTrip() {
    RunStore store = store();
    RunRecord bare =
        new RunRecord(
            "r0",
            null,
            dev.holdfast.plan.PlanKind.HEAL,
            null,
            dev.holdfast.run.RunState.QUEUED,
            T0,
            null,
            null,
            null,
            List.of(),
            null);
    store.save(bare);
    assertThat(store.get("r0")).contains(bare);
  }

  @Test
  void anUnknownRunIsEmpty() {
    assertThat(store().get("nope")).isEmpty();
  }

  @Test
  void saveReplacesTheRunAndAllItsSteps() {
    RunStore store = store();
    RunRecord first = run("r1", "dns", "update", "running", at(0));
    store.save(first);
    List<StepRecord> fewer =
        List.of(
            new StepRecord(
                "pull x",
                StepAction.PULL,
                Phase.FORWARD,
                "app-1",
                StepState.DONE,
                at(1),
                at(2),
                null),
            new StepRecord(
                "stop app-1",
                StepAction.STOP,
                Phase.FORWARD,
                "app-1",
                StepState.RUNNING,
                at(3),
                null,
                null));
    RunRecord second = Runs.withState(first, "succeeded", fewer);
    store.save(second);

    assertThat(store.get("r1")).contains(second);
    assertThat(store.list(RunQuery.all(10))).containsExactly(second);
  }

  @Test
  void listsNewestFirstTiesById() {
    RunStore store = store();
    Instant same = T0.plusSeconds(5);
    store.save(run("b", "dns", "update", "succeeded", same));
    store.save(run("old", "dns", "update", "succeeded", T0));
    store.save(run("c", "dns", "update", "succeeded", same));
    store.save(run("a", "dns", "update", "succeeded", same));
    // fractions of different lengths must still order by time, not as text
    store.save(run("half", "dns", "update", "succeeded", T0.plusMillis(500)));
    store.save(run("new", "web", "heal", "running", T0.plusSeconds(6)));

    assertThat(ids(store.list(RunQuery.all(100))))
        .containsExactly("new", "a", "b", "c", "half", "old");
    assertThat(ids(store.list(RunQuery.all(2)))).containsExactly("new", "a");
    assertThat(store.list(RunQuery.all(100)).get(1).steps()).hasSize(3);
  }

  @Test
  void everyFilterHolds() {
    RunStore store = store();
    store.save(nth(1, "dns", "update", "succeeded"));
    store.save(nth(2, "dns", "heal", "failed"));
    store.save(nth(3, "web", "update", "failed"));
    store.save(nth(4, "web", "heal", "running"));
    store.save(nth(5, "dns", "update", "failed"));

    assertThat(ids(store.list(RunQuery.group("dns", 10)))).containsExactly("5", "2", "1");
    assertThat(ids(store.list(new RunQuery(null, "heal", null, null, null, 10))))
        .containsExactly("4", "2");
    assertThat(ids(store.list(new RunQuery(null, null, "failed", null, null, 10))))
        .containsExactly("5", "3", "2");
    // since is inclusive, to the nanosecond
    assertThat(ids(store.list(new RunQuery(null, null, null, at(3000), null, 10))))
        .containsExactly("5", "4", "3");
    assertThat(ids(store.list(new RunQuery(null, null, null, at(3000).plusNanos(1), null, 10))))
        .containsExactly("5", "4");
    assertThat(ids(store.list(new RunQuery("dns", "update", "failed", at(0), null, 10))))
        .containsExactly("5");
    assertThat(store.list(new RunQuery("none", null, null, null, null, 10))).isEmpty();
  }

  @Test
  void pagesWithBeforeWalkTheWholeListOnce() {
    RunStore store = store();
    Instant same = T0.plusSeconds(3);
    for (String id : List.of("e", "a", "d", "b", "c")) {
      store.save(run(id, "dns", "update", "succeeded", same));
    }
    store.save(run("n1", "dns", "update", "failed", T0.plusSeconds(9)));
    store.save(run("o1", "dns", "update", "failed", T0.plusSeconds(1)));
    store.save(run("w1", "web", "update", "failed", T0.plusSeconds(2)));
    List<String> all = ids(store.list(RunQuery.all(100)));
    assertThat(all).containsExactly("n1", "a", "b", "c", "d", "e", "w1", "o1");

    assertThat(pages(store, null, 3)).containsExactlyElementsOf(all);
    assertThat(pages(store, null, 1)).containsExactlyElementsOf(all);
    assertThat(pages(store, "dns", 2)).containsExactly("n1", "a", "b", "c", "d", "e", "o1");
    // the cursor need not match the filter
    assertThat(ids(store.list(new RunQuery("dns", null, null, null, "w1", 10))))
        .containsExactly("o1");
    assertThat(ids(store.list(new RunQuery(null, null, null, null, "c", 2))))
        .containsExactly("d", "e");
    assertThat(store.list(new RunQuery(null, null, null, null, "o1", 10))).isEmpty();
  }

  @Test
  void anUnknownCursorIsIgnored() {
    RunStore store = store();
    store.save(run("1", "dns", "update", "succeeded", at(1)));
    store.save(run("2", "dns", "update", "succeeded", at(2)));
    assertThat(ids(store.list(new RunQuery(null, null, null, null, "gone", 10))))
        .containsExactly("2", "1");
  }

  @Test
  void unfinishedAreTheQueuedAndRunningNewestFirst() {
    RunStore store = store();
    store.save(run("q", "dns", "update", "queued", at(1000)));
    store.save(run("s", "dns", "update", "succeeded", at(2000)));
    store.save(run("r", "web", "heal", "running", at(3000)));
    store.save(run("f", "web", "update", "failed", at(4000)));
    store.save(run("r0", "web", "update", "running", at(3000)));

    assertThat(ids(store.unfinished())).containsExactly("r", "r0", "q");
    assertThat(store.unfinished().get(0)).isEqualTo(run("r", "web", "heal", "running", at(3000)));

    store.save(
        Runs.withState(run("q", "dns", "update", "queued", at(1000)), "rolled-back", List.of()));
    assertThat(ids(store.unfinished())).containsExactly("r", "r0");
  }

  /** Run {@code n}: its id is n, and it was created n seconds in, after every run before it. */
  private static RunRecord nth(int n, String group, String kind, String state) {
    return run(String.valueOf(n), group, kind, state, at(1000L * n));
  }

  private static List<String> pages(RunStore store, String group, int size) {
    List<String> out = new ArrayList<>();
    String before = null;
    for (int guard = 0; guard < 100; guard++) {
      List<RunRecord> page = store.list(new RunQuery(group, null, null, null, before, size));
      if (page.isEmpty()) {
        return out;
      }
      assertThat(page.size()).isLessThanOrEqualTo(size);
      page.forEach(r -> out.add(r.id()));
      before = page.get(page.size() - 1).id();
    }
    throw new AssertionError("paging does not end: " + out);
  }

  static List<String> ids(List<RunRecord> runs) {
    return runs.stream().map(RunRecord::id).toList();
  }
}
