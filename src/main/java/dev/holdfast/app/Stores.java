package dev.holdfast.app;

import dev.holdfast.group.GroupMemory;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.route.PrefixStore;
import dev.holdfast.route.RouteStore;
import dev.holdfast.run.MemoryRunStore;
import dev.holdfast.run.RunStore;
import dev.holdfast.run.StoreHealth;
import dev.holdfast.store.Sqlite;
import dev.holdfast.store.SqliteDedupeLog;
import dev.holdfast.store.SqliteGroupMemory;
import dev.holdfast.store.SqlitePrefixStore;
import dev.holdfast.store.SqliteRouteStore;
import dev.holdfast.store.SqliteRunStore;
import dev.holdfast.store.StoreException;
import dev.holdfast.trigger.DedupeLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where holdfast's state outlives the process: the embedded SQLite store under the data directory,
 * or, when it cannot be opened (corrupt, read-only, from a newer holdfast), memory, with the
 * problem in {@link #health()} so that runs are refused while status and history are served.
 *
 * @param runs every run and its steps
 * @param routes each group's route intent and its last changes
 * @param prefixes the prefixes each group was last seen to announce
 * @param memory the holders seen, so that members of a removed holder are still found
 * @param digestKeys the webhook dedupe keys of pushes with a digest
 * @param noDigestKeys those of pushes without one
 */
public record Stores(
    StoreHealth health,
    RunStore runs,
    RouteStore routes,
    PrefixStore prefixes,
    GroupMemory memory,
    DedupeLog digestKeys,
    DedupeLog noDigestKeys,
    Optional<Sqlite> db,
    List<SqliteDedupeLog> batched)
    implements AutoCloseable {

  static final int KEEP_RUNS = 10_000;
  static final int KEEP_ROUTE_CHANGES = 100;

  /**
   * Per table; only pushes that started runs are kept (about 350 bytes each on the heap). Past this
   * the oldest is forgotten, which at worst lets a late retry start a run that finds nothing to do.
   */
  static final int DEDUPE_KEYS = 10_000;

  /** The embedded store, or memory with the reason it could not be opened. */
  public static Stores open(Path dataDir) {
    StoreHealth health = new StoreHealth();
    Sqlite db;
    try {
      db = Sqlite.open(dataDir);
    } catch (StoreException e) {
      health.failed(e.getMessage());
      return inMemory(health);
    }
    SqliteDedupeLog digests = new SqliteDedupeLog(db, health, "digest", DEDUPE_KEYS);
    SqliteDedupeLog noDigest = new SqliteDedupeLog(db, health, "no-digest", DEDUPE_KEYS);
    return new Stores(
        health,
        new SqliteRunStore(db, health, KEEP_RUNS),
        new SqliteRouteStore(db, health, KEEP_ROUTE_CHANGES),
        new SqlitePrefixStore(db, health),
        new SqliteGroupMemory(db, health),
        digests,
        noDigest,
        Optional.of(db),
        List.of(digests, noDigest));
  }

  /** Memory only: tests, and a store that cannot be opened. */
  public static Stores inMemory(StoreHealth health) {
    return new Stores(
        health,
        new MemoryRunStore(1000),
        RouteStore.NONE,
        PrefixStore.NONE,
        new InMemoryGroupMemory(),
        DedupeLog.NONE,
        DedupeLog.NONE,
        Optional.empty(),
        List.of());
  }

  /** Writes the dedupe keys gathered since the last flush (batched, off the webhooks' path). */
  public void flush() {
    batched.forEach(SqliteDedupeLog::flush);
  }

  @Override
  public void close() {
    flush();
    db.ifPresent(Sqlite::close);
  }
}
