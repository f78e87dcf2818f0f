package dev.holdfast.store;

import static dev.holdfast.store.Runs.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.holdfast.route.RouteIntent;
import dev.holdfast.run.StoreHealth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRouteStoreTest {

  @TempDir Path dir;
  private final StoreHealth health = new StoreHealth();

  @Test
  void loadsEachGroupsNewestChangesFirstAfterAReopen() {
    RouteIntent up = new RouteIntent(true, at(1), "run r1 gated app-1 healthy");
    RouteIntent down = new RouteIntent(false, at(2), "probe failed: dns-check");
    RouteIntent upAgain = new RouteIntent(true, at(3), null);
    RouteIntent web = new RouteIntent(false, at(4), "operator: withdraw");
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRouteStore store = new SqliteRouteStore(db, health, 100);
      store.record("dns", up);
      store.record("dns", down);
      store.record("web", web);
      store.record("dns", upAgain);
    }
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRouteStore store = new SqliteRouteStore(db, health, 100);
      assertThat(store.load(10))
          .isEqualTo(Map.of("dns", List.of(upAgain, down, up), "web", List.of(web)));
      assertThat(store.load(1)).isEqualTo(Map.of("dns", List.of(upAgain), "web", List.of(web)));
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void newestIsTheLastRecordedEvenWhenTheClockWentBack() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRouteStore store = new SqliteRouteStore(db, health, 100);
      RouteIntent later = new RouteIntent(true, at(10), "first");
      RouteIntent earlier = new RouteIntent(false, at(5), "second, after a clock step");
      store.record("dns", later);
      store.record("dns", earlier);
      assertThat(store.load(1).get("dns")).containsExactly(earlier);
    }
  }

  @Test
  void keepsAtMostSoManyChangesPerGroup() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRouteStore store = new SqliteRouteStore(db, health, 3);
      for (int i = 0; i < 10; i++) {
        store.record("dns", new RouteIntent(i % 2 == 0, at(i), "change " + i));
      }
      store.record("web", new RouteIntent(true, at(0), "web"));
      assertThat(store.load(100).get("dns"))
          .extracting(RouteIntent::why)
          .containsExactly("change 9", "change 8", "change 7");
      assertThat(store.load(100).get("web")).hasSize(1);
      assertThat(SqliteRunStoreTest.count(db, "route_changes")).isEqualTo(4);
    }
  }

  @Test
  void aFailedWriteIsReportedNotThrown() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteRouteStore store = new SqliteRouteStore(db, health, 3);
      SqliteTest.exec(db, "PRAGMA query_only = ON");
      assertThatCode(() -> store.record("dns", new RouteIntent(true, at(0), "x")))
          .doesNotThrowAnyException();
      assertThat(health.problem())
          .hasValueSatisfying(
              p -> assertThat(p).startsWith("cannot write the route change of dns"));
      assertThat(store.load(10)).isEmpty();
    }
  }
}
