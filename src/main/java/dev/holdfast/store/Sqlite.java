package dev.holdfast.store;

import dev.holdfast.run.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The embedded SQLite database, {@code holdfast.db} under the data directory: one connection, every
 * use of it serialised (SQLite has one writer anyway, and holdfast writes a few rows a second at
 * most).
 *
 * <p>Opening checks the file ({@code PRAGMA quick_check}), switches it to WAL, applies the
 * migrations the file lacks (each in one transaction, the schema version kept in {@code PRAGMA
 * user_version}) and writes once, so that a store which cannot be written fails here, with a {@link
 * StoreException} naming the file and the cause, rather than in the middle of a run.
 *
 * <p>Durability: {@code synchronous=FULL}. In WAL mode NORMAL already survives a killed process (a
 * commit is in the WAL file, in the OS page cache, before it returns); it is an OS crash or a power
 * loss that may lose the last commits, because the WAL is synced only at checkpoints. The store is
 * what recovery reads after exactly such a crash, and a lost step record would make recovery
 * believe, say, that an old member still runs when it was already stopped. FULL syncs the WAL on
 * every commit: a few milliseconds per commit, against a write rate of a few commits per run step
 * (steps take seconds: pulls, health gates), so the cost is nil where it matters.
 */
public final class Sqlite implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sqlite.class);

  /** The database file's name under the data directory. */
  public static final String FILE_NAME = "holdfast.db";

  static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

  /** The schema version this code writes and understands. */
  public static int latestSchema() {
    return Schema.latest();
  }

  /** Work done with the connection; may throw SQLException. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Writes done with the connection, inside a transaction. */
  @FunctionalInterface
  interface Writes {
    void apply(Connection c) throws SQLException;
  }

  private final Path dataDir;
  private final Path file;
  private final Connection connection;

  private Sqlite(Path dataDir, Path file, Connection connection) {
    this.dataDir = dataDir;
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating it if need be) {@code <dataDir>/holdfast.db}, migrated to the latest schema.
   *
   * @throws StoreException when it cannot be opened, checked, migrated or written
   */
  public static Sqlite open(Path dataDir) {
    return open(dataDir, false, BUSY_TIMEOUT);
  }

  /**
   * As {@link #open(Path)}; {@code readOnly} opens the file read-only (tests of a real refusal).
   */
  static Sqlite open(Path dataDir, boolean readOnly, Duration busyTimeout) {
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException(
          "cannot open the store " + file + ": cannot create its directory: " + e, e);
    }
    if (Files.isDirectory(file)) {
      throw new StoreException("cannot open the store " + file + ": it is a directory");
    }
    Connection c;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(readOnly);
      c = config.createConnection("jdbc:sqlite:" + file);
    } catch (SQLException e) {
      throw new StoreException("cannot open the store " + file + ": " + SqliteErrors.cause(e), e);
    }
    try {
      prepare(c, file, busyTimeout);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreException("cannot open the store " + file + ": " + SqliteErrors.cause(e), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    return new Sqlite(dataDir, file, c);
  }

  private static void prepare(Connection c, Path file, Duration busyTimeout) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
      int version = Schema.version(s); // the first read of the file: a non-database fails here
      if (version > latestSchema()) {
        throw new StoreException(
            "cannot open the store "
                + file
                + ": made by a newer holdfast (schema "
                + version
                + ", this one knows "
                + latestSchema()
                + ")");
      }
      List<String> problems = new ArrayList<>();
      try (ResultSet r = s.executeQuery("PRAGMA quick_check(3)")) {
        while (r.next()) {
          String line = r.getString(1);
          if (!"ok".equalsIgnoreCase(line) && !line.startsWith("***")) { // *** in database main
            problems.add(line);
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new StoreException(
            "cannot open the store "
                + file
                + ": integrity check failed (corrupt?): "
                + String.join("; ", problems));
      }
      String mode = single(s, "PRAGMA journal_mode = WAL");
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StoreException(
            "cannot open the store "
                + file
                + ": cannot switch to WAL mode (it stays "
                + mode
                + ")");
      }
      s.execute("PRAGMA synchronous = FULL"); // why FULL: see the class comment
      s.execute("PRAGMA foreign_keys = ON");
      Schema.migrate(c, s, version, file);
    }
    // a store that cannot be written must fail now, not in the middle of a run
    inTransaction(
        c,
        conn ->
            update(
                conn,
                "INSERT INTO meta (key, value) VALUES ('opened_at', ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                Times.text(Instant.now())));
  }

  /** Runs one statement with its {@code ?} bound to {@code args} in order. */
  static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  static void inTransaction(Connection c, Writes writes) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        writes.apply(c);
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollback) {
          // SQLite already rolled back (as it does on a full disk or an I/O error)
          log.debug("store: rollback: {}", rollback.getMessage());
        }
        throw e;
      }
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** The file's schema version ({@code PRAGMA user_version}). */
  public int schemaVersion() {
    return read(
        "the schema version",
        c -> {
          try (Statement s = c.createStatement()) {
            return Schema.version(s);
          }
        });
  }

  /**
   * Reads.
   *
   * @throws StoreException when the read fails
   */
  synchronized <T> T read(String what, Work<T> work) {
    try {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot read " + what + " from the store " + file + ": " + SqliteErrors.cause(e), e);
    }
  }

  /**
   * Writes in one transaction. A failure (read-only or full disk, a lost file, ...) is logged and
   * reported to {@code health}, never thrown: a run must be able to finish when its record cannot
   * be written.
   *
   * @return whether the writes were committed
   */
  synchronized boolean write(String what, StoreHealth health, Writes writes) {
    try {
      inTransaction(connection, writes);
      return true;
    } catch (SQLException | RuntimeException e) {
      String why =
          "cannot write "
              + what
              + " to "
              + file
              + ": "
              + (e instanceof SQLException sql ? SqliteErrors.cause(sql) : e.toString());
      log.warn("store: {}", why);
      log.debug("store: write failure", e);
      health.failed(why);
      return false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("store: closing {}: {}", file, SqliteErrors.cause(e));
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the open already failed; that error is the one to report
    }
  }
}
