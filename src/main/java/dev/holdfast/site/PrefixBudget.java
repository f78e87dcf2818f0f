package dev.holdfast.site;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The withdrawal budget of one prefix: may site {@code me} withdraw it now? Planned work takes at
 * most {@link Budget#maxWithdrawn()} sites away at once and, where the prefix has two or more known
 * sites, always leaves {@link Budget#minAnnounced()} of them announcing. A site counts as away when
 * it does not announce (withdrawn, or no holdfast reports it) or holds a slot (it is withdrawing,
 * or has not re-announced and drained yet). Repairs of broken sites always go; an operator's
 * override goes too, and says so.
 */
public final class PrefixBudget {

  private PrefixBudget() {}

  /**
   * @param sites every known site of the prefix, {@code me} among them (as it is now: before it
   *     takes a slot)
   */
  public static Admission admit(
      Prefix prefix, Budget budget, String me, List<Site> sites, Work work, boolean override) {
    Site mine = sites.stream().filter(s -> s.id().equals(me)).findFirst().orElse(null);
    if (mine == null) {
      throw new IllegalArgumentException(me + " is not a site of " + prefix);
    }
    List<Site> others = sites.stream().filter(s -> !s.id().equals(me)).toList();
    List<Site> away = others.stream().filter(s -> !s.serves()).toList();
    List<Site> serving = others.stream().filter(Site::serves).toList();
    String picture = prefix + ": " + describe(sites);
    if (work == Work.REPAIR) {
      return Admission.go(picture + "; a repair of a broken site never waits");
    }
    if (override) {
      return Admission.go(picture + "; the budget (" + budget + ") overridden by the operator");
    }
    if (mine.state() != SiteState.ANNOUNCING) {
      return Admission.go(picture + "; " + me + " announces nothing now, so it withdraws nothing");
    }
    if (away.size() + 1 > budget.maxWithdrawn()) {
      return Admission.waits(
          picture
              + "; "
              + away.size()
              + " of "
              + sites.size()
              + " away ("
              + ids(away)
              + "), at most "
              + budget.maxWithdrawn()
              + " at once");
    }
    if (sites.size() >= 2 && serving.size() < budget.minAnnounced()) {
      return Admission.waits(
          picture
              + "; withdrawing "
              + me
              + " would leave "
              + serving.size()
              + " announcing, at least "
              + budget.minAnnounced()
              + " must"
              + (budget.minAnnounced() > sites.size() - 1
                  ? " (more than the prefix's other sites: lower minAnnounced or override)"
                  : ""));
    }
    return Admission.go(picture + "; " + me + " withdraws, " + serving.size() + " announce on");
  }

  /**
   * The admission of work that withdraws several prefixes at once (a group announcing more than
   * one): it goes only when every prefix lets it, and then takes them all together.
   *
   * @param sites each prefix's known sites, {@code me} among them
   * @param budgets each prefix's budget; a prefix without one has {@link Budget#DEFAULT}
   */
  public static Admission admitAll(
      java.util.Map<Prefix, List<Site>> sites,
      java.util.Map<Prefix, Budget> budgets,
      String me,
      Work work,
      boolean override) {
    return admitAll(sites, budgets, java.util.Map.of(), me, work, override);
  }

  /**
   * {@link #admitAll(java.util.Map, java.util.Map, String, Work, boolean)} where some prefixes are
   * halted: planned work on a halted prefix waits until an operator resumes it, even with the
   * budget overridden (the override is for the budget, not for a failure nobody looked at). Repairs
   * go.
   *
   * @param halts the halted prefixes and why
   */
  public static Admission admitAll(
      java.util.Map<Prefix, List<Site>> sites,
      java.util.Map<Prefix, Budget> budgets,
      java.util.Map<Prefix, String> halts,
      String me,
      Work work,
      boolean override) {
    if (work == Work.PLANNED) {
      List<String> halted =
          sites.keySet().stream()
              .filter(halts::containsKey)
              .sorted(java.util.Comparator.comparing(Prefix::text))
              .map(
                  p ->
                      p
                          + " is halted ("
                          + halts.get(p)
                          + "); an operator resumes it: holdfast resume "
                          + p)
              .toList();
      if (!halted.isEmpty()) {
        return Admission.waits(String.join(" | ", halted));
      }
    }
    List<Admission> each =
        sites.entrySet().stream()
            .sorted(
                java.util.Map.Entry.comparingByKey(java.util.Comparator.comparing(Prefix::text)))
            .map(
                e ->
                    admit(
                        e.getKey(),
                        budgets.getOrDefault(e.getKey(), Budget.DEFAULT),
                        me,
                        e.getValue(),
                        work,
                        override))
            .toList();
    if (each.isEmpty()) {
      return Admission.go("no known prefix: nothing to hold back");
    }
    List<Admission> waiting = each.stream().filter(a -> !a.granted()).toList();
    return waiting.isEmpty() ? Admission.go(join(each)) : Admission.waits(join(waiting));
  }

  private static String join(List<Admission> admissions) {
    return admissions.stream().map(Admission::reason).collect(Collectors.joining(" | "));
  }

  /** {@code a announcing, b withdrawn (slot), c unknown} */
  static String describe(List<Site> sites) {
    return sites.stream()
        .map(s -> s.id() + " " + s.state().label() + (s.holdsSlot() ? " (slot)" : ""))
        .collect(Collectors.joining(", "));
  }

  private static String ids(List<Site> sites) {
    return sites.stream().map(Site::id).collect(Collectors.joining(", "));
  }
}
