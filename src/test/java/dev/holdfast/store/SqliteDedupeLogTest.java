package dev.holdfast.store;

import static dev.holdfast.store.Runs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.run.StoreHealth;
import dev.holdfast.trigger.Dedupe;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDedupeLogTest {

  @TempDir Path dir;
  private final StoreHealth health = new StoreHealth();

  @Test
  void namespacesAreSeparate() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteDedupeLog digests = new SqliteDedupeLog(db, health, "digest", 100);
      SqliteDedupeLog pushes = new SqliteDedupeLog(db, health, "no-digest", 100);
      digests.record("k", T0.plusSeconds(1));
      pushes.record("k", T0.plusSeconds(2));
      pushes.record("only-push", T0.plusSeconds(3));

      assertThat(digests.since(T0)).isEqualTo(Map.of("k", T0.plusSeconds(1)));
      assertThat(pushes.since(T0))
          .isEqualTo(Map.of("k", T0.plusSeconds(2), "only-push", T0.plusSeconds(3)));
    }
  }

  @Test
  void sinceIsInclusiveAndDropsOlderKeys() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteDedupeLog log = new SqliteDedupeLog(db, health, "hooks", 100);
      Instant a = T0.plusNanos(1);
      log.record("old", T0);
      log.record("edge", a);
      log.record("new", a.plusSeconds(60));
      SqliteDedupeLog other = new SqliteDedupeLog(db, health, "other", 100);
      other.record("old", T0);

      assertThat(log.since(a)).containsOnlyKeys("edge", "new").containsEntry("edge", a);
      assertThat(log.since(T0.minusSeconds(1))).containsOnlyKeys("edge", "new"); // old is gone
      assertThat(other.since(T0)).containsOnlyKeys("old"); // not another namespace's
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void aKeySeenAgainAfterItsWindowTakesTheNewInstant() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteDedupeLog log = new SqliteDedupeLog(db, health, "hooks", 100);
      log.record("k", T0);
      log.record("k", T0.plusSeconds(600));
      assertThat(log.since(T0)).isEqualTo(Map.of("k", T0.plusSeconds(600)));
    }
  }

  @Test
  void keepsAtMostCapacityKeysPerNamespace() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteDedupeLog log = new SqliteDedupeLog(db, health, "hooks", 3);
      SqliteDedupeLog other = new SqliteDedupeLog(db, health, "other", 3);
      other.record("x", T0);
      for (int i = 0; i < SqliteDedupeLog.PRUNE_EVERY; i++) {
        log.record("k" + i, T0.plusSeconds(i));
      }
      assertThat(log.since(T0)).containsOnlyKeys("k97", "k98", "k99");
      assertThat(other.since(T0)).containsOnlyKeys("x");
    }
  }

  @Test
  void aDedupeRemembersItsKeysAcrossARestart() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteDedupeLog log = new SqliteDedupeLog(db, health, "d", 100);
      Dedupe dedupe = new Dedupe(clock, Duration.ofMinutes(10), 100, log);
      assertThat(dedupe.seen("push sha256:abc")).isEmpty();
      dedupe.keep("push sha256:abc"); // the push started a run
      assertThat(dedupe.seen("push sha256:nothing-started")).isEmpty(); // kept in memory only
      log.flush(); // the service flushes every 250 ms and when it stops
    }
    Clock later = Clock.offset(clock, Duration.ofMinutes(5));
    try (Sqlite db = Sqlite.open(dir)) {
      Dedupe dedupe =
          new Dedupe(later, Duration.ofMinutes(10), 100, new SqliteDedupeLog(db, health, "d", 100));
      assertThat(dedupe.seen("push sha256:abc")).contains(T0);
      assertThat(dedupe.seen("push sha256:nothing-started")).isEmpty();
      Dedupe otherNamespace =
          new Dedupe(later, Duration.ofMinutes(10), 100, new SqliteDedupeLog(db, health, "e", 100));
      assertThat(otherNamespace.seen("push sha256:abc")).isEmpty();
    }
    assertThat(health.problem()).isEmpty();
  }
}
