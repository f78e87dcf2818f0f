package dev.holdfast.run;

import dev.holdfast.group.Group;
import dev.holdfast.plan.PlanException;
import dev.holdfast.route.RouteIntent;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.route.SitePrefixes;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Sites;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link Sites} what each local group does with its prefixes: announcing when the group
 * is whole (holder running, every member attached, running and not unhealthy) and its route is
 * meant announced; withdrawn otherwise. A group that vanished from the engine stays a site,
 * withdrawn: a site that was removed for a moment (a {@code compose down}) must not make the
 * prefix's other sites look like the last ones.
 */
public final class SiteReporter {

  private static final Logger log = LoggerFactory.getLogger(SiteReporter.class);

  private final Sites sites;
  private final SitePrefixes prefixes;
  private final RouteKeeper keeper;
  private final String instance;
  private final Map<String, Set<Prefix>> reported = new ConcurrentHashMap<>();

  /**
   * @param instance this holdfast's name among the instances that share the sites (site ids are
   *     {@code <instance>/<group>})
   */
  public SiteReporter(Sites sites, SitePrefixes prefixes, RouteKeeper keeper, String instance) {
    this.sites = sites;
    this.prefixes = prefixes;
    this.keeper = keeper;
    this.instance = instance;
  }

  /** A reporter of one holdfast alone, on the one-host budget (tests of a group or two). */
  public static SiteReporter alone(RouteKeeper keeper, dev.holdfast.route.RouteControls routes) {
    return new SiteReporter(
        new dev.holdfast.site.SiteBook(Map.of()),
        new SitePrefixes(routes, dev.holdfast.route.PrefixStore.NONE),
        keeper,
        "local");
  }

  public String siteOf(String group) {
    return instance + "/" + group;
  }

  public Sites sites() {
    return sites;
  }

  /**
   * Reports the groups reported before that the engine does not show now ({@code seen}) as
   * withdrawn.
   */
  public void gone(Set<String> seen) {
    reported.forEach(
        (group, ps) -> {
          if (!seen.contains(group)) {
            sites.report(siteOf(group), ps, SiteState.WITHDRAWN);
          }
        });
  }

  /** Reports one group; returns its prefixes (empty: it is no site). */
  public Set<Prefix> report(Group g) {
    Set<Prefix> ps;
    try {
      ps = prefixes.of(g);
    } catch (PlanException e) {
      ps = prefixes.known(g.name()); // a bad label is a label problem in the status
    }
    if (ps.isEmpty()) {
      return ps;
    }
    SiteState state = state(g);
    Set<Prefix> before = reported.put(g.name(), ps);
    if (!ps.equals(before)) {
      log.info("site {} of {} is {}", siteOf(g.name()), Prefix.text(ps), state.label());
    }
    sites.report(siteOf(g.name()), ps, state);
    return ps;
  }

  /** Reports a group during its run, where the run knows best what its route is. */
  public void report(String group, Set<Prefix> ps, SiteState state) {
    reported.put(group, ps);
    sites.report(siteOf(group), ps, state);
  }

  /** What the group does with its prefixes, from the engine and the route's intent. */
  public SiteState state(Group g) {
    boolean announced = keeper.intent(g.name()).map(RouteIntent::announced).orElse(true);
    return announced && g.health().equals("ok") && !g.routers().isEmpty()
        ? SiteState.ANNOUNCING
        : SiteState.WITHDRAWN;
  }

  /** The route's intent alone: what a run's site is while the run owns the group. */
  public SiteState intended(String group) {
    return keeper.intent(group).map(RouteIntent::announced).orElse(true)
        ? SiteState.ANNOUNCING
        : SiteState.WITHDRAWN;
  }
}
