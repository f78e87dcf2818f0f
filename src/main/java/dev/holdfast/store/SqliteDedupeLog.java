package dev.holdfast.store;

import dev.holdfast.run.StoreHealth;
import dev.holdfast.trigger.DedupeLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dedupe keys in the embedded store, under a namespace (each {@code Dedupe} has its own, so that
 * their windows do not mix). Keys older than a {@link #since} are deleted by it; between restarts
 * at most {@code capacity} keys are kept per namespace, the oldest dropped every {@value
 * #PRUNE_EVERY} records (a {@code Dedupe} forgets them first too).
 */
public final class SqliteDedupeLog implements DedupeLog {

  static final int PRUNE_EVERY = 100;

  private final Sqlite db;
  private final StoreHealth health;
  private final String namespace;
  private final int capacity;
  private final AtomicLong records = new AtomicLong();

  public SqliteDedupeLog(Sqlite db, StoreHealth health, String namespace, int capacity) {
    this.db = db;
    this.health = health;
    this.namespace = namespace;
    this.capacity = capacity;
  }

  /** Keys recorded but not written yet: written in batches, off the hook's path. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Map.Entry<String, Instant>> pending =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Past this many pending keys (the store failing for long) the oldest are dropped. */
  static final int MAX_PENDING = 100_000;

  /**
   * Queues the key; {@link #flush} writes it. A key is a guard against a retried delivery, so the
   * few hundred milliseconds of keys a crash can lose cost at most one extra run, which finds
   * nothing new to do; an fsync per delivery would cost every webhook its latency.
   */
  @Override
  public void record(String key, Instant at) {
    pending.add(Map.entry(key, at));
    if (pending.size() > MAX_PENDING) {
      pending.poll();
    }
  }

  /** Writes the pending keys in one transaction (called every few hundred ms and at close). */
  public synchronized void flush() {
    List<Map.Entry<String, Instant>> batch = new java.util.ArrayList<>();
    for (Map.Entry<String, Instant> e; (e = pending.poll()) != null; ) {
      batch.add(e);
    }
    if (batch.isEmpty()) {
      return;
    }
    db.write(
        batch.size() + " dedupe keys of " + namespace,
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO dedupe_keys (namespace, key, at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (namespace, key) DO UPDATE SET at = excluded.at")) {
            for (Map.Entry<String, Instant> e : batch) {
              p.setString(1, namespace);
              p.setString(2, e.getKey());
              p.setString(3, Times.text(e.getValue()));
              p.addBatch();
            }
            p.executeBatch();
          }
        });
    if (records.addAndGet(batch.size()) / PRUNE_EVERY
        != (records.get() - batch.size()) / PRUNE_EVERY) {
      prune();
    }
  }

  /** Keeps the newest {@code capacity} keys of the namespace. */
  void prune() {
    db.write(
        "pruned dedupe keys of " + namespace,
        health,
        c ->
            Sqlite.update(
                c,
                "DELETE FROM dedupe_keys WHERE namespace = ? AND key NOT IN (SELECT key FROM"
                    + " dedupe_keys WHERE namespace = ? ORDER BY at DESC LIMIT ?)",
                namespace,
                namespace,
                capacity));
  }

  /** The namespace's keys first seen at or after {@code from}, oldest first; older ones deleted. */
  @Override
  public Map<String, Instant> since(Instant from) {
    flush();
    String fromText = Times.text(from);
    db.write(
        "expired dedupe keys of " + namespace,
        health,
        c ->
            Sqlite.update(
                c, "DELETE FROM dedupe_keys WHERE namespace = ? AND at < ?", namespace, fromText));
    return db.read(
        "dedupe keys of " + namespace,
        c -> {
          Map<String, Instant> out = new LinkedHashMap<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT key, at FROM dedupe_keys WHERE namespace = ? AND at >= ?"
                      + " ORDER BY at, key")) {
            p.setString(1, namespace);
            p.setString(2, fromText);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.put(r.getString(1), Times.instant(r.getString(2)));
              }
            }
          }
          return out;
        });
  }
}
