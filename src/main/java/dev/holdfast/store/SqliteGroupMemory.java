package dev.holdfast.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.group.Group;
import dev.holdfast.group.GroupMemory;
import dev.holdfast.run.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group memory in the embedded store: which group, holder name and Compose service each holder id
 * had, so that members of a holder removed while holdfast was down are still placed in their group.
 * Behaves as the {@code groups.json} file older releases kept: kept in memory too, written through
 * whenever it changes, never forgotten. On the first open over an empty table, an existing {@code
 * groups.json} in the data directory is imported (and left where it is).
 */
public final class SqliteGroupMemory implements GroupMemory {

  private static final Logger log = LoggerFactory.getLogger(SqliteGroupMemory.class);

  /** The file older releases kept (holder id to group and holder name), imported once. */
  public static final String LEGACY_FILE = "groups.json";

  private final Sqlite db;
  private final StoreHealth health;
  private final Map<String, Remembered> holders = new HashMap<>();

  /**
   * @throws StoreException when the remembered holders cannot be read
   */
  public SqliteGroupMemory(Sqlite db, StoreHealth health) {
    this.db = db;
    this.health = health;
    holders.putAll(
        db.read(
            "remembered holders",
            c -> {
              Map<String, Remembered> out = new HashMap<>();
              try (PreparedStatement p =
                      c.prepareStatement(
                          "SELECT holder_id, group_name, holder_name, compose_service FROM group_holders");
                  ResultSet r = p.executeQuery()) {
                while (r.next()) {
                  out.put(
                      r.getString(1),
                      new Remembered(r.getString(2), r.getString(3), r.getString(4)));
                }
              }
              return out;
            }));
    if (holders.isEmpty()) {
      importLegacy(db.dataDir().resolve(LEGACY_FILE));
    }
  }

  private void importLegacy(Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    Map<String, Remembered> legacy;
    try {
      legacy =
          new ObjectMapper()
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(file.toFile(), new TypeReference<Map<String, Remembered>>() {});
    } catch (IOException e) {
      // memory is a fallback for unlabelled groups: without it a heal only waits for labels
      log.warn("store: cannot import {}: {}; group memory starts empty", file, e.getMessage());
      return;
    }
    if (legacy == null) {
      return;
    }
    legacy.entrySet().removeIf(e -> e.getValue() == null || e.getValue().group() == null);
    if (legacy.isEmpty()) {
      return;
    }
    holders.putAll(legacy);
    if (save(legacy)) {
      log.info(
          "store: imported {} remembered holders from {} (the file is left in place, no longer"
              + " read)",
          legacy.size(),
          file);
    }
  }

  @Override
  public synchronized void remember(List<Group> groups) {
    Map<String, Remembered> changed = new HashMap<>();
    for (Group g : groups) {
      g.holder()
          .ifPresent(
              h -> {
                Remembered now = Remembered.of(g, h);
                if (!now.equals(holders.put(h.id(), now))) {
                  changed.put(h.id(), now);
                }
              });
    }
    if (!changed.isEmpty()) {
      save(changed);
    }
  }

  @Override
  public synchronized Optional<Remembered> holder(String holderId) {
    return GroupMemory.find(holders, holderId);
  }

  private boolean save(Map<String, Remembered> changed) {
    String seen = Times.text(Instant.now());
    return db.write(
        "remembered holders",
        health,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO group_holders"
                      + " (holder_id, group_name, holder_name, compose_service, seen_at)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (holder_id) DO UPDATE SET"
                      + " group_name = excluded.group_name, holder_name = excluded.holder_name,"
                      + " compose_service = excluded.compose_service, seen_at = excluded.seen_at")) {
            for (Map.Entry<String, Remembered> e : changed.entrySet()) {
              p.setString(1, e.getKey());
              p.setString(2, e.getValue().group());
              p.setString(3, e.getValue().holderName());
              p.setString(4, e.getValue().composeService());
              p.setString(5, seen);
              p.addBatch();
            }
            p.executeBatch();
          }
        });
  }
}
