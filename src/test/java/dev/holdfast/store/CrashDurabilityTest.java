package dev.holdfast.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.run.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run saved just before its process dies is there when the store is opened again. */
class CrashDurabilityTest {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void aRunSavedBeforeAKillSurvivesIt() throws IOException, InterruptedException {
    Path data = dir.resolve("data");
    Path output = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!child.waitFor(90, TimeUnit.SECONDS)) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the child did not end: " + Files.readString(output));
    }
    String log = Files.readString(output);
    assertThat(child.exitValue()).as(log).isEqualTo(9);
    assertThat(log).contains("saved");
    // never closed nor checkpointed: the run is in the write-ahead log only
    assertThat(data.resolve("holdfast.db-wal")).isNotEmptyFile();

    StoreHealth health = new StoreHealth();
    try (Sqlite db = Sqlite.open(data)) {
      SqliteRunStore store = new SqliteRunStore(db, health, 100);
      assertThat(store.get(CrashingWriter.RUN_ID)).contains(CrashingWriter.run());
      assertThat(store.unfinished()).containsExactly(CrashingWriter.run());
    }
    assertThat(health.problem()).isEmpty();
  }
}
