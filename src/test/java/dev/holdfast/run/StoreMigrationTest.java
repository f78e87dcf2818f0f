package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.app.Stores;
import dev.holdfast.app.Wiring;
import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.Phase;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.store.Sqlite;
import dev.holdfast.testing.FakeEngine;
import dev.holdfast.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores written by the holdfast before typed run records (schema 2, commit a9107f6), each with a
 * run left in flight (see src/test/resources/fixtures/store/README.md): today's code migrates the
 * store, reads the runs as typed records, and recovers each against the containers that holdfast
 * left, to a consistent group.
 */
class StoreMigrationTest {

  @TempDir Path dir;

  private FakeEngine fake;
  private Wiring graph;

  /** Opens a copy of the fixture's store with today's code, over a fake holding its containers. */
  private RunRecord open(String fixture) throws IOException {
    try (InputStream in = resource(fixture + "/holdfast.db")) {
      Files.copy(in, dir.resolve("holdfast.db"));
    }
    fake = new FakeEngine();
    RunnerFixture.images(fake);
    fake.image(RunnerFixture.REF + "-v2", RunnerFixture.V2, "healthy");
    fake.image("broken", RunnerFixture.BROKEN, "unhealthy");
    try (InputStream in = resource(fixture + "/containers.json")) {
      for (JsonNode c : new ObjectMapper().readTree(in)) {
        fake.run(container(c));
      }
    }
    Stores stores = Stores.open(dir);
    assertThat(stores.health().problem()).as("the migrated store opens").isEmpty();
    graph = RunnerFixture.graph(fake, new MutableClock(), stores);
    List<RunRecord> left = graph.journal.store().unfinished();
    assertThat(left).as("runs left in flight in " + fixture).hasSize(1);
    return left.get(0);
  }

  private static InputStream resource(String path) {
    InputStream in = StoreMigrationTest.class.getResourceAsStream("/fixtures/store/" + path);
    if (in == null) {
      throw new AssertionError("no fixture " + path);
    }
    return in;
  }

  private static ContainerView container(JsonNode c) {
    Map<String, String> labels = new TreeMap<>();
    c.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ContainerView(
        c.path("id").asText(),
        c.path("name").asText(),
        c.path("image").asText(),
        c.path("imageId").asText(),
        labels,
        c.path("state").asText(),
        c.path("health").isNull() ? Optional.empty() : Optional.of(c.path("health").asText()),
        c.path("networkMode").asText(),
        Instant.parse(c.path("startedAt").asText()),
        c.path("restartCount").asInt(),
        Instant.parse(c.path("finishedAt").asText()),
        c.path("restartPolicy").asText(),
        List.of());
  }

  private RunView recover() throws InterruptedException {
    assertThat(graph.recovery.recoverAll()).isEqualTo(1);
    assertThat(graph.journal.store().unfinished()).isEmpty();
    return graph.journal.list("seed").get(0);
  }

  private void consistent(String appImage) {
    assertThat(fake.containers())
        .extracting(ContainerView::name)
        .containsExactlyInAnyOrder("seed-holder", "seed-app", "seed-router");
    String holder = fake.container("seed-holder").orElseThrow().id();
    for (String m : List.of("seed-app", "seed-router")) {
      ContainerView c = fake.container(m).orElseThrow();
      assertThat(c.running()).as(m + " running").isTrue();
      assertThat(c.networkMode()).as(m + " attached").isEqualTo("container:" + holder);
    }
    assertThat(fake.container("seed-app").orElseThrow().imageId()).isEqualTo(appImage);
  }

  @Test
  void theStoreIsMigratedToTheLatestSchemaAndItsStepsAreTyped() throws IOException {
    RunRecord left = open("update-killed-in-its-rollback");

    try (Sqlite db = graph.stores.db().orElseThrow()) {
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema());
    }
    assertThat(left.kind()).isEqualTo(PlanKind.UPDATE);
    assertThat(left.state()).isEqualTo(RunState.RUNNING);
    assertThat(left.steps().stream().filter(s -> s.phase() == Phase.ROLLBACK))
        .extracting(StepRecord::action, StepRecord::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StepAction.DISCARD, "seed-app"),
            org.assertj.core.groups.Tuple.tuple(StepAction.RESTORE, "seed-app"),
            org.assertj.core.groups.Tuple.tuple(StepAction.RESTORE, "seed-app"),
            org.assertj.core.groups.Tuple.tuple(StepAction.START, "seed-app"));
    assertThat(left.steps().stream().filter(s -> s.phase() == Phase.FORWARD))
        .extracting(StepRecord::action)
        .containsExactly(
            StepAction.PULL,
            StepAction.CREATE,
            StepAction.WITHDRAW,
            StepAction.STOP,
            StepAction.SET_ASIDE,
            StepAction.PLACE,
            StepAction.START,
            StepAction.GATE,
            StepAction.ANNOUNCE,
            StepAction.REMOVE);
  }

  @Test
  void anUpdateKilledAfterTheSetAsideIsRolledBack() throws Exception {
    open("update-killed-after-set-aside");

    RunView after = recover();

    assertThat(after.state()).as(after.error()).isEqualTo("rolled-back");
    assertThat(after.error()).contains("holdfast stopped at step 5 (set-aside");
    consistent(RunnerFixture.V1.id());
    assertThat(after.steps().stream().filter(s -> s.phase().equals("recovery")))
        .extracting(RunView.StepView::action)
        .containsExactly("restore", "start", "gate", "announce");
  }

  @Test
  void anUpdateKilledAfterItsGateIsFinished() throws Exception {
    open("update-killed-after-the-gate");

    RunView after = recover();

    assertThat(after.state()).as(after.error()).isEqualTo("succeeded");
    consistent(RunnerFixture.V2.id());
  }

  @Test
  void anUpdateKilledInItsRollbackIsRolledBackToTheEnd() throws Exception {
    open("update-killed-in-its-rollback");

    RunView after = recover();

    assertThat(after.state()).as(after.error()).isEqualTo("rolled-back");
    consistent(RunnerFixture.V1.id());
  }

  @Test
  void aHealKilledAfterThePlaceIsUndoneAndHealedAgain() throws Exception {
    open("heal-killed-after-place");
    // that holdfast kept its group memory in memory (the runner fixture's): tell this one of the
    // removed holder its members still join, as a store of a served holdfast would
    String removed = fake.container("seed-router").orElseThrow().namespaceRef().orElseThrow();
    graph
        .stores
        .memory()
        .remember(
            List.of(
                new dev.holdfast.group.Group(
                    "seed",
                    Optional.of(
                        dev.holdfast.testing.Containers.container("seed-holder")
                            .id(removed)
                            .build()),
                    List.of())));

    RunView after = recover();
    assertThat(after.state()).as(after.error()).isIn("rolled-back", "failed");
    Run again = graph.coordinator.submit(new RunRequest("seed", PlanKind.HEAL, Set.of(), "again"));
    assertThat(again.state())
        .as(again.error() + "\n" + again.view().plan())
        .isEqualTo(RunState.SUCCEEDED);

    consistent(RunnerFixture.V1.id());
  }
}
