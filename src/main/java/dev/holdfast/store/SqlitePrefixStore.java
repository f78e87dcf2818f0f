package dev.holdfast.store;

import dev.holdfast.route.PrefixStore;
import dev.holdfast.run.StoreHealth;
import dev.holdfast.site.Prefix;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Each group's last seen prefixes in the embedded store, one comma-separated row per group. */
public final class SqlitePrefixStore implements PrefixStore {

  private final Sqlite db;
  private final StoreHealth health;

  public SqlitePrefixStore(Sqlite db, StoreHealth health) {
    this.db = db;
    this.health = health;
  }

  @Override
  public void save(String group, Set<Prefix> prefixes) {
    db.write(
        "the prefixes of " + group,
        health,
        c ->
            Sqlite.update(
                c,
                "INSERT INTO group_prefixes (group_name, prefixes) VALUES (?, ?)"
                    + " ON CONFLICT (group_name) DO UPDATE SET prefixes = excluded.prefixes",
                group,
                Prefix.text(prefixes)));
  }

  @Override
  public Map<String, Set<Prefix>> load() {
    return db.read(
        "group prefixes",
        c -> {
          Map<String, Set<Prefix>> out = new LinkedHashMap<>();
          try (PreparedStatement p =
                  c.prepareStatement("SELECT group_name, prefixes FROM group_prefixes");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              try {
                out.put(r.getString(1), Set.copyOf(Prefix.list(r.getString(2))));
              } catch (IllegalArgumentException e) {
                // a row no holdfast wrote: BIRD is asked again
              }
            }
          }
          return out;
        });
  }
}
