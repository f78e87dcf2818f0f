package dev.holdfast.store;

import dev.holdfast.run.RunRecord;
import dev.holdfast.run.StoreHealth;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link CrashDurabilityTest}: saves a run in the store at {@code args[0]}
 * and kills its own process ({@code halt}: no shutdown hooks, no close, no checkpoint).
 */
public final class CrashingWriter {

  static final String RUN_ID = "crash-1";

  /** The run as it is saved last, step two just recorded. */
  static RunRecord run() {
    RunRecord planned = Runs.run(RUN_ID, "dns", "update", "running", Runs.at(0));
    return Runs.withState(planned, "running", List.copyOf(planned.steps()));
  }

  public static void main(String[] args) {
    Sqlite db = Sqlite.open(Path.of(args[0]));
    StoreHealth health = new StoreHealth();
    SqliteRunStore store = new SqliteRunStore(db, health, 100);
    RunRecord run = run();
    store.save(Runs.withState(run, "queued", List.of()));
    store.save(Runs.withState(run, "running", run.steps().subList(0, 1)));
    store.save(run);
    if (health.problem().isPresent()) {
      System.out.println("store failed: " + health.problem().get());
      Runtime.getRuntime().halt(3);
    }
    System.out.println("saved");
    System.out.flush();
    Runtime.getRuntime().halt(9);
  }
}
