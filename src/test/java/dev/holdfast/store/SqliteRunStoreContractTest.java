package dev.holdfast.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.run.RunStore;
import dev.holdfast.run.StoreHealth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store keeps the run store contract, on a real database file. */
class SqliteRunStoreContractTest extends RunStoreContract {

  @TempDir Path dir;
  private final List<Sqlite> opened = new ArrayList<>();
  private final StoreHealth health = new StoreHealth();

  @Override
  RunStore store() {
    Sqlite db = Sqlite.open(dir.resolve("data" + opened.size()));
    opened.add(db);
    return new SqliteRunStore(db, health, 10_000);
  }

  @AfterEach
  void close() {
    opened.forEach(Sqlite::close);
    assertThat(health.problem()).isEmpty();
  }
}
