package dev.holdfast.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sites of every prefix one holdfast knows, what each reported, and which hold withdrawal
 * slots: the one-host budget. A take is decided and recorded in one step, so two runs of groups
 * sharing a prefix cannot both pass the budget; prefixes that share no site never wait for each
 * other. Sites of other hosts come in through {@link #report} from whatever carries them (etcd); a
 * site nobody reports any more is {@link #forget}-ten or marked {@link SiteState#UNKNOWN}.
 */
public final class SiteBook implements Sites {

  private final Map<Prefix, Budget> budgets;
  private final Map<String, Set<Prefix>> prefixesOf = new TreeMap<>();
  private final Map<String, SiteState> stateOf = new TreeMap<>();
  private final Map<String, Set<Prefix>> slots = new TreeMap<>();
  private final Map<Prefix, String> halts =
      new TreeMap<>(java.util.Comparator.comparing(Prefix::text));

  /**
   * @param budgets each prefix's budget; others have {@link Budget#DEFAULT}
   */
  public SiteBook(Map<Prefix, Budget> budgets) {
    this.budgets = Map.copyOf(budgets);
  }

  /** What site {@code id} announces, and whether it does now. */
  @Override
  public synchronized void report(String id, Set<Prefix> prefixes, SiteState state) {
    prefixesOf.put(id, Set.copyOf(prefixes));
    stateOf.put(id, state);
  }

  /** The site is gone (its group was removed): it is no site of any prefix any more. */
  @Override
  public synchronized void forget(String id) {
    prefixesOf.remove(id);
    stateOf.remove(id);
    slots.remove(id);
  }

  /**
   * Takes slots on every prefix of site {@code id} when the budget lets it; changes nothing when it
   * does not. A site that holds its slots already gets them again (a retried step).
   */
  @Override
  public synchronized Admission take(String id, Work work, boolean override) {
    Set<Prefix> mine = prefixesOf.getOrDefault(id, Set.of());
    if (slots.containsKey(id)) {
      return Admission.go("slots held already on " + sorted(mine));
    }
    Map<Prefix, List<Site>> sites = new LinkedHashMap<>();
    for (Prefix p : mine) {
      sites.put(p, sitesOf(p));
    }
    Admission a = PrefixBudget.admitAll(sites, budgets, halts, id, work, override);
    if (a.granted()) {
      slots.put(id, mine);
    }
    return a;
  }

  /** Gives the slots of site {@code id} back (it re-announced and drained, or gave up). */
  @Override
  public synchronized void release(String id) {
    slots.remove(id);
  }

  @Override
  public synchronized boolean holdsSlot(String id) {
    return slots.containsKey(id);
  }

  /** Every known prefix with its sites, for the status. */
  @Override
  public synchronized Map<Prefix, List<Site>> view() {
    Map<Prefix, List<Site>> out = new TreeMap<>(java.util.Comparator.comparing(Prefix::text));
    for (Set<Prefix> ps : prefixesOf.values()) {
      for (Prefix p : ps) {
        out.computeIfAbsent(p, this::sitesOf);
      }
    }
    return out;
  }

  @Override
  public Budget budget(Prefix p) {
    return budgets.getOrDefault(p, Budget.DEFAULT);
  }

  @Override
  public synchronized void halt(Set<Prefix> prefixes, String reason) {
    for (Prefix p : prefixes) {
      halts.putIfAbsent(p, reason); // the first failure is the one to look at
    }
  }

  @Override
  public synchronized boolean resume(Prefix p) {
    return halts.remove(p) != null;
  }

  @Override
  public synchronized Map<Prefix, String> halts() {
    return new java.util.LinkedHashMap<>(halts);
  }

  private List<Site> sitesOf(Prefix p) {
    List<Site> out = new ArrayList<>();
    prefixesOf.forEach(
        (id, ps) -> {
          if (ps.contains(p)) {
            out.add(new Site(id, stateOf.get(id), slots.getOrDefault(id, Set.of()).contains(p)));
          }
        });
    return out;
  }

  private static List<String> sorted(Set<Prefix> ps) {
    return ps.stream().map(Prefix::text).sorted().toList();
  }
}
