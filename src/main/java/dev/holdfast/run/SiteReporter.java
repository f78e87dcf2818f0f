package dev.holdfast.run;

import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteException;
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
 * is whole (holder running, every member attached, running and not unhealthy), its route is meant
 * announced and its router proves it exports the prefixes (with BIRD and {@code
 * holdfast.bird.peers}: every peer session up and exporting them); withdrawn otherwise. Another
 * site withdraws on the strength of this report, so a site whose app is back but whose BGP session
 * is not yet up again counts away. A group that vanished from the engine stays a site, withdrawn: a
 * site that was removed for a moment (a {@code compose down}) must not make the prefix's other
 * sites look like the last ones.
 */
public final class SiteReporter {

  private static final Logger log = LoggerFactory.getLogger(SiteReporter.class);

  private final Sites sites;
  private final SitePrefixes prefixes;
  private final RouteKeeper keeper;
  private final RouteControls routes;
  private final String instance;
  private final Map<String, Set<Prefix>> reported = new ConcurrentHashMap<>();

  /** What each group was last found doing (by the reconcile pass's proof or by its run). */
  private final Map<String, SiteState> last = new ConcurrentHashMap<>();

  /** Why each group last counted away while meant announced, to log it once. */
  private final Map<String, String> why = new ConcurrentHashMap<>();

  /**
   * @param instance this holdfast's name among the instances that share the sites (site ids are
   *     {@code <instance>/<group>})
   */
  public SiteReporter(
      Sites sites,
      SitePrefixes prefixes,
      RouteKeeper keeper,
      RouteControls routes,
      String instance) {
    this.sites = sites;
    this.prefixes = prefixes;
    this.keeper = keeper;
    this.routes = routes;
    this.instance = instance;
  }

  /** A reporter of one holdfast alone, on the one-host budget (tests of a group or two). */
  public static SiteReporter alone(RouteKeeper keeper, RouteControls routes) {
    return new SiteReporter(
        new dev.holdfast.site.SiteBook(Map.of()),
        new SitePrefixes(routes, dev.holdfast.route.PrefixStore.NONE),
        keeper,
        routes,
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
    SiteState state = state(g, ps);
    Set<Prefix> before = reported.put(g.name(), ps);
    SiteState was = last.put(g.name(), state);
    if (!ps.equals(before) || state != was) {
      log.info("site {} of {} is {}", siteOf(g.name()), Prefix.text(ps), state.label());
    }
    sites.report(siteOf(g.name()), ps, state);
    return ps;
  }

  /**
   * Reports a group during its run, where the run knows best what its route is: announcing only
   * once its router proved the export again.
   */
  public void report(String group, Set<Prefix> ps, SiteState state) {
    reported.put(group, ps);
    last.put(group, state);
    sites.report(siteOf(group), ps, state);
  }

  /**
   * What the group does with its prefixes, from the engine, the route's intent and its routers'
   * proof of export.
   */
  public SiteState state(Group g, Set<Prefix> ps) {
    boolean announced = keeper.intent(g.name()).map(RouteIntent::announced).orElse(true);
    if (!announced || !g.health().equals("ok") || g.routers().isEmpty()) {
      why.remove(g.name());
      return SiteState.WITHDRAWN;
    }
    for (Member router : g.routers()) {
      String reason;
      try {
        RouteSpec spec = Planner.route(router);
        reason = routes.get(spec.strategy()).notExported(router.container(), spec, ps).orElse(null);
      } catch (PlanException | RouteException e) {
        reason = e.getMessage(); // a router that cannot be asked proves nothing
      }
      if (reason != null) {
        if (!reason.equals(why.put(g.name(), reason))) {
          log.info("site {} counts away: {}: {}", siteOf(g.name()), router.name(), reason);
        }
        return SiteState.WITHDRAWN;
      }
    }
    why.remove(g.name());
    return SiteState.ANNOUNCING;
  }

  /**
   * What a run's site is while the run owns the group and has not touched the route yet: withdrawn
   * when its route is meant withdrawn, else what it was last found doing (a site whose router did
   * not export before the run does not announce because a run started).
   */
  public SiteState current(String group) {
    boolean announced = keeper.intent(group).map(RouteIntent::announced).orElse(true);
    return announced ? last.getOrDefault(group, SiteState.ANNOUNCING) : SiteState.WITHDRAWN;
  }
}
