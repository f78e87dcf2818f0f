package dev.holdfast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the store: the file's checks, mode, schema and the clear refusals. */
class SqliteTest {

  @TempDir Path dir;

  @Test
  void createsTheFileInWalModeAtTheLatestSchema() {
    try (Sqlite db = Sqlite.open(dir.resolve("sub/data"))) {
      assertThat(db.file()).isEqualTo(dir.resolve("sub/data/holdfast.db").toAbsolutePath());
      assertThat(Files.isRegularFile(db.file())).isTrue();
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(db, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema()).isEqualTo(4);
      assertThat(tables(db))
          .contains("meta", "runs", "steps", "route_changes", "dedupe_keys", "group_holders");
    }
  }

  @Test
  void migratesAnEmptyFile() throws IOException {
    Files.createFile(dir.resolve("holdfast.db"));
    try (Sqlite db = Sqlite.open(dir)) {
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema());
      assertThat(tables(db)).contains("runs", "steps");
    }
  }

  @Test
  void reopensWithoutMigratingAgain() {
    try (Sqlite db = Sqlite.open(dir)) {
      db.write(
          "a row",
          new dev.holdfast.run.StoreHealth(),
          c -> c.createStatement().execute("INSERT INTO meta (key, value) VALUES ('x', 'y')"));
    }
    try (Sqlite db = Sqlite.open(dir)) {
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema());
      String value =
          db.read(
              "x",
              c -> {
                try (ResultSet r =
                    c.createStatement().executeQuery("SELECT value FROM meta WHERE key='x'")) {
                  return r.next() ? r.getString(1) : null;
                }
              });
      assertThat(value).isEqualTo("y");
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
    }
  }

  @Test
  void refusesASchemaFromANewerHoldfastAndLeavesItAlone() throws SQLException {
    Path file = dir.resolve("holdfast.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE future (x)");
      s.execute("PRAGMA user_version = 7");
    }

    assertThatThrownBy(() -> Sqlite.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot open the store "
                + file.toAbsolutePath()
                + ": made by a newer holdfast (schema 7, this one knows 4)");

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo("delete"); // not switched to WAL
    }
  }

  @Test
  void refusesAFileThatIsNotADatabase() throws IOException {
    Path file = dir.resolve("holdfast.db");
    byte[] garbage = new byte[8192];
    new Random(42).nextBytes(garbage);
    Files.write(file, garbage);

    assertThatThrownBy(() -> Sqlite.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot open the store "
                + file.toAbsolutePath()
                + ": file is not a database (corrupt?)");
  }

  @Test
  void refusesADatabaseWithCorruptPages() throws IOException {
    Path file;
    try (Sqlite db = Sqlite.open(dir)) {
      file = db.file();
      SqliteRunStore runs = new SqliteRunStore(db, new dev.holdfast.run.StoreHealth(), 10_000);
      for (int i = 0; i < 200; i++) {
        runs.save(Runs.run("run-" + i, "dns", "update", "succeeded", Runs.at(i)));
      }
    }
    long pageSize = 4096;
    long size = Files.size(file);
    assertThat(size).isGreaterThan(10 * pageSize);
    byte[] garbage = new byte[(int) pageSize];
    new Random(7).nextBytes(garbage);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      for (long page = 1; page * pageSize < size; page += 2) { // every other page after the first
        f.seek(page * pageSize);
        f.write(garbage);
      }
    }

    assertThatThrownBy(() -> Sqlite.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open the store " + file + ": ")
        .hasMessageContaining("corrupt");
  }

  @Test
  void refusesAReadOnlyFile() {
    try (Sqlite db = Sqlite.open(dir)) {
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema());
    }
    // as root chmod does not stop writes: open the file read-only, as SQLite does on a read-only
    // disk, and let SQLite refuse the write for real
    assertThatThrownBy(() -> Sqlite.open(dir, true, Sqlite.BUSY_TIMEOUT))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(
            "cannot open the store " + dir.resolve("holdfast.db").toAbsolutePath() + ": read-only");
  }

  @Test
  void refusesADirectoryInPlaceOfTheFile() throws IOException {
    Files.createDirectories(dir.resolve("holdfast.db"));
    assertThatThrownBy(() -> Sqlite.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot open the store "
                + dir.resolve("holdfast.db").toAbsolutePath()
                + ": it is a directory");
  }

  @Test
  void refusesAStoreAnotherProcessKeepsLocked() throws SQLException {
    Sqlite.open(dir).close();
    try (Connection other =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("holdfast.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      assertThatThrownBy(() -> Sqlite.open(dir, false, Duration.ofMillis(200)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("locked by another process");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void readsOfAClosedStoreThrowAndWritesAreReported() {
    Sqlite db = Sqlite.open(dir);
    db.close();
    assertThatThrownBy(db::schemaVersion)
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot read the schema version from the store " + db.file());
    dev.holdfast.run.StoreHealth health = new dev.holdfast.run.StoreHealth();
    assertThat(db.write("a row", health, c -> c.createStatement().execute("DELETE FROM meta")))
        .isFalse();
    assertThat(health.problem())
        .hasValueSatisfying(p -> assertThat(p).contains(db.file().toString()));
  }

  static String pragma(Sqlite db, String name) {
    return db.read(
        name,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
          }
        });
  }

  static void exec(Sqlite db, String sql) {
    db.read(
        sql,
        c -> {
          try (Statement s = c.createStatement()) {
            return s.execute(sql);
          }
        });
  }

  private static List<String> tables(Sqlite db) {
    return db.read(
        "tables",
        c -> {
          List<String> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type='table'")) {
            while (r.next()) {
              out.add(r.getString(1));
            }
          }
          return out;
        });
  }
}
