package dev.holdfast.route;

import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.site.Prefix;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which prefixes each group announces: the routers' {@code holdfast.prefixes} labels when they
 * carry one, else what a BIRD router's anycast protocols originate, read from BIRD. What BIRD
 * showed is remembered (and stored): a withdrawn router shows nothing, yet the site is still a site
 * of its prefixes, away from them.
 */
public final class SitePrefixes {

  private static final Logger log = LoggerFactory.getLogger(SitePrefixes.class);

  private final RouteControls routes;
  private final PrefixStore store;
  private final Map<String, Set<Prefix>> seen = new ConcurrentHashMap<>();

  public SitePrefixes(RouteControls routes, PrefixStore store) {
    this.routes = routes;
    this.store = store;
    seen.putAll(store.load());
  }

  /**
   * The group's prefixes now; empty when it announces none that holdfast knows of (no router, a
   * {@code stop} router without the label, a BIRD router never seen announcing).
   */
  public Set<Prefix> of(Group group) {
    Set<Prefix> labelled = labelled(group);
    if (!labelled.isEmpty()) {
      remember(group.name(), labelled);
      return labelled;
    }
    Set<Prefix> read = new TreeSet<>(Comparator.comparing(Prefix::text));
    for (Member router : group.routers()) {
      if (!router.attached() || !router.container().running()) {
        continue;
      }
      try {
        RouteSpec spec = Planner.route(router);
        read.addAll(routes.get(spec.strategy()).prefixes(router.container(), spec));
      } catch (PlanException | RouteException e) {
        log.debug("prefixes of {} not read: {}", router.name(), e.getMessage());
      }
    }
    if (!read.isEmpty()) {
      remember(group.name(), read);
      return read;
    }
    return seen.getOrDefault(group.name(), Set.of());
  }

  /** The prefixes last known for the group, without asking its router. */
  public Set<Prefix> known(String group) {
    return seen.getOrDefault(group, Set.of());
  }

  /**
   * The prefixes the routers' labels name.
   *
   * @throws PlanException naming the router when a label is no prefix list
   */
  public static Set<Prefix> labelled(Group group) {
    Set<Prefix> out = new TreeSet<>(Comparator.comparing(Prefix::text));
    for (Member router : group.routers()) {
      String value = router.container().labels().get(Labels.PREFIXES);
      if (value == null) {
        continue;
      }
      try {
        out.addAll(Prefix.list(value));
      } catch (IllegalArgumentException e) {
        throw new PlanException(router.name() + ": " + Labels.PREFIXES + ": " + e.getMessage());
      }
    }
    return out;
  }

  private void remember(String group, Set<Prefix> prefixes) {
    Set<Prefix> copy = Set.copyOf(prefixes);
    Set<Prefix> before = seen.put(group, copy);
    if (!copy.equals(before)) {
      store.save(group, copy);
      log.info("group {} announces {}", group, Prefix.text(copy));
    }
  }
}
