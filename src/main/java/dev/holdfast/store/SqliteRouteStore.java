package dev.holdfast.store;

import dev.holdfast.route.RouteIntent;
import dev.holdfast.route.RouteStore;
import dev.holdfast.run.StoreHealth;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each group's route changes in the embedded store, newest first by the order they were recorded
 * (not by their instants, which a clock step could reorder). At most {@code keepPerGroup} changes
 * are kept per group, the older ones dropped as a new one is recorded.
 */
public final class SqliteRouteStore implements RouteStore {

  private final Sqlite db;
  private final StoreHealth health;
  private final int keepPerGroup;

  public SqliteRouteStore(Sqlite db, StoreHealth health, int keepPerGroup) {
    this.db = db;
    this.health = health;
    this.keepPerGroup = keepPerGroup;
  }

  @Override
  public void record(String group, RouteIntent change) {
    db.write(
        "the route change of " + group,
        health,
        c -> {
          Sqlite.update(
              c,
              "INSERT INTO route_changes (group_name, announced, since, why) VALUES (?, ?, ?, ?)",
              group,
              change.announced() ? 1 : 0,
              Times.text(change.since()),
              change.why());
          Sqlite.update(
              c,
              "DELETE FROM route_changes WHERE group_name = ? AND seq NOT IN (SELECT seq FROM"
                  + " route_changes WHERE group_name = ? ORDER BY seq DESC LIMIT ?)",
              group,
              group,
              keepPerGroup);
        });
  }

  @Override
  public Map<String, List<RouteIntent>> load(int perGroup) {
    return db.read(
        "route changes",
        c -> {
          Map<String, List<RouteIntent>> out = new LinkedHashMap<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT group_name, announced, since, why FROM (SELECT *, ROW_NUMBER() OVER"
                      + " (PARTITION BY group_name ORDER BY seq DESC) AS n FROM route_changes)"
                      + " WHERE n <= ? ORDER BY group_name, seq DESC")) {
            p.setInt(1, perGroup);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.computeIfAbsent(r.getString(1), g -> new ArrayList<>())
                    .add(
                        new RouteIntent(
                            r.getInt(2) != 0, Times.instant(r.getString(3)), r.getString(4)));
              }
            }
          }
          out.replaceAll((g, changes) -> List.copyOf(changes));
          return out;
        });
  }
}
