package dev.holdfast.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema, versioned with {@code PRAGMA user_version}: each migration is applied in
 * order, in one transaction, and never edited once released.
 */
final class Schema {

  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  /** One step of the schema: applied in order, each in one transaction, never edited once out. */
  record Migration(int version, String what, List<String> statements) {}

  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "runs, steps, route changes, dedupe keys, group holders",
              List.of(
                  """
                  CREATE TABLE meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL)
                  """,
                  """
                  CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    group_name TEXT,
                    kind TEXT,
                    trigger_text TEXT,
                    state TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    ended_at TEXT,
                    plan TEXT,
                    error TEXT)
                  """,
                  "CREATE INDEX runs_newest ON runs (created_at DESC, id)",
                  "CREATE INDEX runs_group ON runs (group_name, created_at DESC)",
                  "CREATE INDEX runs_state ON runs (state)",
                  """
                  CREATE TABLE steps (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL,
                    step TEXT,
                    action TEXT,
                    target TEXT,
                    state TEXT,
                    started_at TEXT,
                    ended_at TEXT,
                    error TEXT,
                    PRIMARY KEY (run_id, idx))
                  """,
                  """
                  CREATE TABLE route_changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    group_name TEXT NOT NULL,
                    announced INTEGER NOT NULL,
                    since TEXT NOT NULL,
                    why TEXT)
                  """,
                  "CREATE INDEX route_changes_group ON route_changes (group_name, seq)",
                  """
                  CREATE TABLE dedupe_keys (
                    namespace TEXT NOT NULL,
                    key TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (namespace, key))
                  """,
                  "CREATE INDEX dedupe_keys_at ON dedupe_keys (namespace, at)",
                  """
                  CREATE TABLE group_holders (
                    holder_id TEXT PRIMARY KEY,
                    group_name TEXT NOT NULL,
                    holder_name TEXT,
                    seen_at TEXT NOT NULL)
                  """)),
          new Migration(
              2,
              "group holders remember their Compose project and service",
              List.of("ALTER TABLE group_holders ADD COLUMN compose_service TEXT")),
          new Migration(
              3,
              "typed run steps: each step's plan (forward, rollback, recovery) and verb",
              List.of(
                  "ALTER TABLE steps ADD COLUMN phase TEXT NOT NULL DEFAULT 'forward'",
                  // rollback and recovery steps were appended as text: their verb and member
                  // are read from it once, here (target held the last word of the text)
                  "UPDATE steps SET phase = 'recovery', action = 'remove'"
                      + " WHERE action = 'rollback' AND step LIKE 'recover remove %'",
                  "UPDATE steps SET phase = 'rollback' WHERE action = 'rollback'",
                  "UPDATE steps SET target = substr(target, 1, instr(target, '.holdfast-') - 1)"
                      + " WHERE phase != 'forward' AND instr(target, '.holdfast-') > 1",
                  "UPDATE steps SET action = 'restore' WHERE action = 'rollback'"
                      + " AND (step LIKE 'rollback rename % to %'"
                      + " OR step LIKE 'rollback restart policy %'"
                      + " OR step LIKE 'rollback remove superseded %')",
                  "UPDATE steps SET action = 'discard'"
                      + " WHERE action = 'rollback' AND step LIKE 'rollback remove %'",
                  "UPDATE steps SET action = 'start'"
                      + " WHERE action = 'rollback' AND step LIKE 'rollback start %'",
                  "UPDATE steps SET action = 'gate'"
                      + " WHERE action = 'rollback' AND step LIKE 'rollback gate %'",
                  "UPDATE steps SET action = 'announce'"
                      + " WHERE action = 'rollback' AND step LIKE 'rollback announce %'",
                  "UPDATE steps SET action = 'restore' WHERE action = 'rollback'")),
          new Migration(
              4,
              "the prefixes each group was last seen to announce",
              List.of(
                  """
                  CREATE TABLE group_prefixes (
                    group_name TEXT PRIMARY KEY,
                    prefixes TEXT NOT NULL)
                  """)));

  /** The schema version this code writes and understands. */
  static int latest() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /** The file's schema version; the first read of a file, so a non-database fails here. */
  static int version(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** Applies every migration newer than {@code from}. */
  static void migrate(Connection c, Statement s, int from, Path file) throws SQLException {
    for (Migration m : MIGRATIONS) {
      if (m.version() > from) {
        migrate(c, s, m, file);
      }
    }
  }

  private static void migrate(Connection c, Statement s, Migration m, Path file)
      throws SQLException {
    Sqlite.inTransaction(
        c,
        conn -> {
          for (String sql : m.statements()) {
            s.execute(sql);
          }
          s.execute("PRAGMA user_version = " + m.version());
        });
    log.info("store {}: migrated to schema {} ({})", file, m.version(), m.what());
  }

  private static int userVersion(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
      r.next();
      return r.getInt(1);
    }
  }
}
