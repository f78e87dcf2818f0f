package dev.holdfast.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupMemory.Remembered;
import dev.holdfast.run.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGroupMemoryTest {

  private static final String DNS_HOLDER = "a1b2c3d4e5f6".repeat(5) + "abcd";
  private static final String WEB_HOLDER = "0f0f0f0f0f0f".repeat(5) + "1234";

  @TempDir Path dir;
  private final StoreHealth health = new StoreHealth();

  @Test
  void remembersHoldersAcrossAReopen() {
    try (Sqlite db = Sqlite.open(dir)) {
      new SqliteGroupMemory(db, health)
          .remember(
              List.of(
                  group("dns", DNS_HOLDER, "dns-holder"),
                  group("web", WEB_HOLDER, "web-holder"),
                  new Group("orphan", Optional.empty(), List.of())));
    }
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      assertThat(memory.holder(DNS_HOLDER)).contains(new Remembered("dns", "dns-holder"));
      assertThat(memory.holder(WEB_HOLDER)).contains(new Remembered("web", "web-holder"));
      assertThat(memory.holder("gone")).isEmpty();
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void findsAHolderByAnIdPrefixOfTwelveOrMore() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      memory.remember(List.of(group("dns", DNS_HOLDER, "dns-holder")));
      assertThat(memory.holder(DNS_HOLDER.substring(0, 12)))
          .contains(new Remembered("dns", "dns-holder"));
      assertThat(memory.holder(DNS_HOLDER.substring(0, 11))).isEmpty();
    }
  }

  @Test
  void writesOnlyWhatChanged() {
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      memory.remember(List.of(group("dns", DNS_HOLDER, "dns-holder")));
      SqliteTest.exec(db, "PRAGMA query_only = ON");

      memory.remember(List.of(group("dns", DNS_HOLDER, "dns-holder")));
      assertThat(health.problem()).isEmpty(); // nothing new: nothing written

      memory.remember(List.of(group("dns", DNS_HOLDER, "renamed-holder")));
      assertThat(health.problem()) // a change is written (and here refused, not thrown)
          .hasValueSatisfying(p -> assertThat(p).contains("read-only"));
      assertThat(memory.holder(DNS_HOLDER)).contains(new Remembered("dns", "renamed-holder"));
    }
  }

  @Test
  void importsGroupsJsonOnceAndLeavesIt() throws IOException {
    Path json = dir.resolve("groups.json");
    // as a holdfast before the store left it: holder id -> group and holder name
    Files.writeString(
        json, "{\"" + DNS_HOLDER + "\": {\"group\": \"dns\", \"holderName\": \"dns-holder\"}}");

    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      assertThat(memory.holder(DNS_HOLDER)).contains(new Remembered("dns", "dns-holder"));
    }
    assertThat(json).exists();

    Files.writeString(
        json, "{\"" + WEB_HOLDER + "\": {\"group\": \"web\", \"holderName\": \"web-holder\"}}");
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      assertThat(memory.holder(DNS_HOLDER)).contains(new Remembered("dns", "dns-holder"));
      assertThat(memory.holder(WEB_HOLDER)).isEmpty(); // imported once, then not read
    }
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void remembersTheComposeServiceOfAHolderAndNeverItsTemporaryName() {
    try (Sqlite db = Sqlite.open(dir)) {
      new SqliteGroupMemory(db, health)
          .remember(
              List.of(
                  group(
                      "dns-net",
                      DNS_HOLDER,
                      DNS_HOLDER.substring(0, 12) + "_dns-net",
                      Map.of(
                          "com.docker.compose.project", "seed",
                          "com.docker.compose.service", "dns-net"))));
    }
    try (Sqlite db = Sqlite.open(dir)) {
      assertThat(new SqliteGroupMemory(db, health).holder(DNS_HOLDER))
          .contains(new Remembered("dns-net", "dns-net", "seed/dns-net"));
    }
  }

  @Test
  void aStoreOfSchemaOneKeepsItsHoldersWhenMigrated() throws Exception {
    Path file = dir.resolve("holdfast.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement s = c.createStatement()) {
      for (String sql : Schema.MIGRATIONS.get(0).statements()) {
        s.execute(sql);
      }
      s.execute(
          "INSERT INTO group_holders (holder_id, group_name, holder_name, seen_at)"
              + " VALUES ('"
              + DNS_HOLDER
              + "', 'dns', 'dns-holder', '2026-01-01T00:00:00Z')");
      s.execute("PRAGMA user_version = 1");
    }
    try (Sqlite db = Sqlite.open(dir)) {
      assertThat(db.schemaVersion()).isEqualTo(Sqlite.latestSchema());
      assertThat(new SqliteGroupMemory(db, health).holder(DNS_HOLDER))
          .contains(new Remembered("dns", "dns-holder", null));
    }
  }

  @Test
  void anUnreadableGroupsJsonIsSkipped() throws IOException {
    Files.writeString(dir.resolve("groups.json"), "{ not json");
    try (Sqlite db = Sqlite.open(dir)) {
      SqliteGroupMemory memory = new SqliteGroupMemory(db, health);
      assertThat(memory.holder(DNS_HOLDER)).isEmpty();
    }
    assertThat(health.problem()).isEmpty();
  }

  static Group group(String name, String holderId, String holderName) {
    return group(name, holderId, holderName, Map.of("holdfast.group", name));
  }

  static Group group(String name, String holderId, String holderName, Map<String, String> labels) {
    ContainerView holder =
        new ContainerView(
            holderId,
            holderName,
            "registry:5000/pause:3",
            "sha256:0123",
            labels,
            "running",
            Optional.empty(),
            "bridge",
            Instant.EPOCH,
            0,
            Instant.EPOCH,
            "unless-stopped",
            List.of());
    return new Group(name, Optional.of(holder), List.of());
  }
}
