package dev.holdfast.store;

import static dev.holdfast.store.Runs.at;
import static dev.holdfast.store.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.holdfast.run.RunJournal;
import dev.holdfast.run.RunRecord;
import dev.holdfast.run.RunStore.RunQuery;
import dev.holdfast.run.StoreHealth;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite run store beyond the contract: restarts, pruning, and failing writes. */
class SqliteRunStoreTest {

  @TempDir Path dir;
  private final StoreHealth health = new StoreHealth();

  @Test
  void everythingIsThereAfterAReopen() {
    RunRecord running = run("r1", "dns", "update", "running", at(1));
    RunRecord failed = run("r2", "web", "heal", "failed", at(2));
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 100);
      store.save(running);
      store.save(failed);
    }
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 100);
      assertThat(store.get("r1")).contains(running);
      assertThat(store.list(RunQuery.all(10))).containsExactly(failed, running);
      assertThat(store.unfinished()).containsExactly(running);
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void keepsTheNewestEndedRunsAndEveryUnfinishedOne() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 5);
      store.save(run("queued-oldest", "dns", "update", "queued", at(0)));
      for (int i = 1; i <= 20; i++) {
        store.save(run(String.format("ended-%02d", i), "dns", "update", "succeeded", at(i)));
      }
      assertThat(store.list(RunQuery.all(100))).hasSize(21); // pruned occasionally, not per save
      store.prune();

      assertThat(RunStoreContract.ids(store.list(RunQuery.all(100))))
          .containsExactly(
              "ended-20", "ended-19", "ended-18", "ended-17", "ended-16", "queued-oldest");
      assertThat(count(db, "steps")).isEqualTo(6 * 3); // the pruned runs' steps went with them
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void prunesByItselfEveryHundredSaves() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 10);
      for (int i = 0; i < SqliteRunStore.PRUNE_EVERY; i++) {
        store.save(run("r" + i, "dns", "update", "succeeded", at(i)));
      }
      assertThat(count(db, "runs")).isEqualTo(10);
    }
  }

  @Test
  void aReadOnlyStoreIsReportedNotThrownAndStillRead() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 100);
      RunRecord before = run("r1", "dns", "update", "running", at(1));
      store.save(before);
      SqliteTest.exec(db, "PRAGMA query_only = ON"); // SQLite refuses writes: SQLITE_READONLY

      assertThatCode(() -> store.save(Runs.withState(before, "succeeded", List.of())))
          .doesNotThrowAnyException();

      assertThat(health.problem())
          .hasValueSatisfying(
              p ->
                  assertThat(p)
                      .isEqualTo(
                          "cannot write run r1 to "
                              + db.file()
                              + ": read-only (attempt to write a readonly database)"));
      assertThat(store.get("r1")).contains(before); // status and history are still served
    }
  }

  @Test
  void aFullDiskIsReportedAndARunStillFinishes() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 100);
      // the database may not grow by one page more: SQLITE_FULL, as on a full disk
      SqliteTest.exec(db, "PRAGMA max_page_count = " + SqliteTest.pragma(db, "page_count"));
      RunJournal journal = new RunJournal(store);
      RunRecord big =
          new RunRecord(
              "big",
              "dns",
              dev.holdfast.plan.PlanKind.UPDATE,
              null,
              dev.holdfast.run.RunState.RUNNING,
              at(0),
              at(1),
              null,
              "x".repeat(200_000),
              Runs.steps(at(0)),
              null);

      assertThatCode(() -> store.save(big)).doesNotThrowAnyException();

      assertThat(health.problem()).hasValueSatisfying(p -> assertThat(p).contains("disk full"));
      assertThat(journal.get("big")).isEmpty();
      assertThat(count(db, "steps")).isZero(); // the failed transaction left nothing half-written
    }
  }

  static int count(Sqlite db, String table) {
    return db.read(
        table,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
          }
        });
  }
}
