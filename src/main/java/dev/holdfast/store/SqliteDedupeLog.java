package dev.holdfast.store;

import dev.holdfast.run.StoreHealth;
import dev.holdfast.trigger.DedupeLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
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

  @Override
  public void record(String key, Instant at) {
    db.write(
        "dedupe key " + namespace + "/" + key,
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO dedupe_keys (namespace, key, at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (namespace, key) DO UPDATE SET at = excluded.at")) {
            p.setString(1, namespace);
            p.setString(2, key);
            p.setString(3, Times.text(at));
            p.executeUpdate();
          }
        });
    if (records.incrementAndGet() % PRUNE_EVERY == 0) {
      prune();
    }
  }

  /** Keeps the newest {@code capacity} keys of the namespace. */
  void prune() {
    db.write(
        "pruned dedupe keys of " + namespace,
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "DELETE FROM dedupe_keys WHERE namespace = ? AND key NOT IN (SELECT key FROM"
                      + " dedupe_keys WHERE namespace = ? ORDER BY at DESC LIMIT ?)")) {
            p.setString(1, namespace);
            p.setString(2, namespace);
            p.setInt(3, capacity);
            p.executeUpdate();
          }
        });
  }

  /** The namespace's keys first seen at or after {@code from}, oldest first; older ones deleted. */
  @Override
  public Map<String, Instant> since(Instant from) {
    String fromText = Times.text(from);
    db.write(
        "expired dedupe keys of " + namespace,
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM dedupe_keys WHERE namespace = ? AND at < ?")) {
            p.setString(1, namespace);
            p.setString(2, fromText);
            p.executeUpdate();
          }
        });
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
