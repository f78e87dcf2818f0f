package dev.holdfast.etcd;

import dev.holdfast.site.Prefix;
import dev.holdfast.site.Site;
import dev.holdfast.site.SiteState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one read of etcd said about every prefix (all of it at one revision), and the sites each
 * prefix has once this instance's own sites are laid over it: for those, this instance is the
 * authority and etcd may be behind.
 *
 * @param guards each prefix's guard key mod revision (absent: no guard written yet, revision 0)
 */
record Facts(
    Map<Prefix, Set<String>> members,
    Map<String, SiteState> states,
    Map<Prefix, Set<String>> slots,
    Map<Prefix, Long> guards,
    Map<Prefix, String> halts) {

  static final Comparator<Prefix> BY_TEXT = Comparator.comparing(Prefix::text);

  static final Facts NONE = new Facts(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** One key as etcd returned it. */
  record Kv(String key, byte[] value, long modRevision) {}

  /** This instance's sites: what they announce, their state, the slots they hold. */
  record Local(
      Map<String, Set<Prefix>> prefixesOf,
      Map<String, SiteState> stateOf,
      Map<String, Set<Prefix>> held,
      Set<String> forgotten) {}

  /** Reads the keys under the root; keys of no known shape (another tool's) are left out. */
  static Facts parse(EtcdKeys keys, List<Kv> kvs) {
    Map<Prefix, Set<String>> members = new TreeMap<>(BY_TEXT);
    Map<String, SiteState> states = new TreeMap<>();
    Map<Prefix, Set<String>> slots = new TreeMap<>(BY_TEXT);
    Map<Prefix, Long> guards = new TreeMap<>(BY_TEXT);
    Map<Prefix, String> halts = new TreeMap<>(BY_TEXT);
    for (Kv kv : kvs) {
      String k = kv.key();
      keys.member(k)
          .ifPresent(e -> members.computeIfAbsent(e.prefix(), p -> new TreeSet<>()).add(e.site()));
      keys.slot(k)
          .ifPresent(e -> slots.computeIfAbsent(e.prefix(), p -> new TreeSet<>()).add(e.site()));
      keys.stateSite(k).ifPresent(site -> states.put(site, EtcdKeys.state(kv.value())));
      keys.guardPrefix(k).ifPresent(p -> guards.put(p, kv.modRevision()));
      keys.haltPrefix(k)
          .ifPresent(p -> halts.put(p, new String(kv.value(), StandardCharsets.UTF_8)));
    }
    return new Facts(members, states, slots, guards, halts);
  }

  /** The guard revision a take compares against: 0 while the prefix has no guard key. */
  long guard(Prefix p) {
    return guards.getOrDefault(p, 0L);
  }

  /** The prefixes etcd lists {@code site} as a member of. */
  Set<Prefix> prefixesOf(String site) {
    Set<Prefix> out = new TreeSet<>(BY_TEXT);
    members.forEach(
        (p, ids) -> {
          if (ids.contains(site)) {
            out.add(p);
          }
        });
    return out;
  }

  /** The prefixes etcd has a slot of {@code site} on. */
  Set<Prefix> slotsOf(String site) {
    Set<Prefix> out = new TreeSet<>(BY_TEXT);
    slots.forEach(
        (p, ids) -> {
          if (ids.contains(site)) {
            out.add(p);
          }
        });
    return out;
  }

  /**
   * Every prefix with its sites in id order, as {@code site.SiteBook} lists them: etcd's members,
   * with this instance's sites as it knows them (a forgotten one left out, one etcd lacks yet
   * added). A member without a state key is {@link SiteState#UNKNOWN}: its holdfast stopped
   * renewing its lease.
   */
  Map<Prefix, List<Site>> sites(Local local) {
    Map<Prefix, Set<String>> ids = new TreeMap<>(BY_TEXT);
    members.forEach(
        (p, sites) -> {
          for (String id : sites) {
            if (!local.prefixesOf().containsKey(id) && !local.forgotten().contains(id)) {
              ids.computeIfAbsent(p, x -> new TreeSet<>()).add(id);
            }
          }
        });
    local
        .prefixesOf()
        .forEach(
            (id, ps) -> {
              for (Prefix p : ps) {
                ids.computeIfAbsent(p, x -> new TreeSet<>()).add(id);
              }
            });
    Map<Prefix, List<Site>> out = new TreeMap<>(BY_TEXT);
    ids.forEach(
        (p, sites) -> {
          List<Site> list = new ArrayList<>();
          for (String id : sites) {
            list.add(
                local.prefixesOf().containsKey(id)
                    ? new Site(
                        id,
                        local.stateOf().getOrDefault(id, SiteState.UNKNOWN),
                        local.held().getOrDefault(id, Set.of()).contains(p))
                    : new Site(
                        id,
                        states.getOrDefault(id, SiteState.UNKNOWN),
                        slots.getOrDefault(p, Set.of()).contains(id)));
          }
          out.put(p, List.copyOf(list));
        });
    return out;
  }
}
