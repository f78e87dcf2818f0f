package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.probe.ProbeWatcher;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each group's route where holdfast wants it. Outside runs the intent follows the apps'
 * health (withdrawn while an app is down, unhealthy by Docker or failing its {@code
 * holdfast.health} probe {@code fall} times; announced when all are healthy again), and BIRD
 * routers are brought back to it whenever they drift: a recreated or restarted router, or a {@code
 * birdc configure} that silently re-enabled a disabled protocol.
 */
public final class RouteKeeper {

  private static final Logger log = LoggerFactory.getLogger(RouteKeeper.class);

  private final RouteControls routes;
  private final Clock clock;
  private final ProbeWatcher probes;
  private final Map<String, RouteIntent> intents = new ConcurrentHashMap<>();
  private final Map<String, java.util.Deque<RouteIntent>> history = new ConcurrentHashMap<>();

  /** Why the route could not be brought to the intent on the last try, per group. */
  private final Map<String, String> problems = new ConcurrentHashMap<>();

  /** How many route changes are kept per group. */
  static final int HISTORY = 20;

  private final RouteStore store;

  public RouteKeeper(RouteControls routes, Clock clock, ProbeWatcher probes) {
    this(routes, clock, probes, RouteStore.NONE);
  }

  /** A keeper that starts from the intents the store kept: a restart does not forget them. */
  public RouteKeeper(RouteControls routes, Clock clock, ProbeWatcher probes, RouteStore store) {
    this.routes = routes;
    this.clock = clock;
    this.probes = probes;
    this.store = store;
    store
        .load(HISTORY)
        .forEach(
            (group, changes) -> {
              if (!changes.isEmpty()) {
                intents.put(group, changes.get(0));
                history.put(group, new java.util.concurrent.ConcurrentLinkedDeque<>(changes));
              }
            });
  }

  /** Brings the probe watches to the groups seen now (see {@link ProbeWatcher#watch}). */
  public void watchProbes(java.util.List<Group> groups) {
    probes.watch(groups);
  }

  public Optional<RouteIntent> intent(String group) {
    return Optional.ofNullable(intents.get(group));
  }

  /** The group's last route changes, newest first. */
  public java.util.List<RouteIntent> changes(String group) {
    java.util.Deque<RouteIntent> changes = history.get(group);
    return changes == null ? java.util.List.of() : java.util.List.copyOf(changes);
  }

  /** Records a new intent; logs only a change. */
  public synchronized void intend(String group, boolean announced, String why) {
    RouteIntent now = intents.get(group);
    if (now == null || now.announced() != announced) {
      RouteIntent change = new RouteIntent(announced, clock.instant(), why);
      intents.put(group, change);
      java.util.Deque<RouteIntent> changes =
          history.computeIfAbsent(group, g -> new java.util.concurrent.ConcurrentLinkedDeque<>());
      changes.addFirst(change);
      while (changes.size() > HISTORY) {
        changes.pollLast();
      }
      store.record(group, change);
      log.info("group {} route {}: {}", group, announced ? "announced" : "withdrawn", why);
    }
  }

  /**
   * Sets the intent from the apps' health and re-asserts it on the group's BIRD routers.
   *
   * @return false when a router could not be brought to the intent (its BIRD not answering yet)
   */
  public boolean keep(Group g) {
    return keep(g, id -> false);
  }

  /**
   * As {@link #keep(Group)}, where an app that someone is stopping ({@code stopping} says so of its
   * container id: a stop signal sent, not dead yet) counts as down already: Compose's or
   * Watchtower's own recreate then withdraws the route while the app still serves, not after.
   */
  public boolean keep(Group g, java.util.function.Predicate<String> stopping) {
    if (g.routers().isEmpty() || !g.holder().map(ContainerView::running).orElse(false)) {
      return true;
    }
    Optional<String> sick =
        g.apps().stream()
            .filter(a -> stopping.test(a.container().id()))
            .findFirst()
            .map(a -> "app " + a.name() + " is being stopped")
            .or(() -> unhealthyApp(g));
    if (sick.isPresent()) {
      intend(g.name(), false, sick.get());
    } else {
      intend(g.name(), true, "every app is healthy");
    }
    boolean announced = intents.get(g.name()).announced();
    boolean ok = true;
    java.util.List<String> failed = new java.util.ArrayList<>();
    for (Member router : g.routers()) {
      Optional<String> problem = assertOn(g.name(), router, announced);
      problem.ifPresent(failed::add);
      ok &= problem.isEmpty();
    }
    if (failed.isEmpty()) {
      problems.remove(g.name());
    } else {
      problems.put(g.name(), String.join("; ", failed));
    }
    return ok;
  }

  /** Why the route could not be kept on this group's routers last time; empty when it was. */
  public Optional<String> problem(String group) {
    return Optional.ofNullable(problems.get(group));
  }

  /**
   * @return why the router could not be brought to the intent; empty when it was, or when it is not
   *     a BIRD router holdfast can talk to
   */
  private Optional<String> assertOn(String group, Member router, boolean announced) {
    RouteSpec spec;
    try {
      spec = Planner.route(router);
    } catch (PlanException e) {
      return Optional.empty(); // a label problem: the status shows it from the labels
    }
    if (!spec.bird() || !router.container().running() || !router.attached()) {
      return Optional.empty();
    }
    try {
      Optional<Boolean> up = routes.bird().announcing(router.container(), spec);
      if (up.isPresent() && up.get() != announced) {
        log.info(
            "group {}: router {} {} although the route should be {}; re-asserting",
            group,
            router.name(),
            up.get() ? "announces" : "does not announce",
            announced ? "announced" : "withdrawn");
        if (announced) {
          routes.get("bird").announce(router.container(), spec);
        } else {
          routes.get("bird").withdraw(router.container(), spec);
        }
      }
      return Optional.empty();
    } catch (RouteException e) {
      if (!e.getMessage().equals(problems.get(group))) {
        log.warn("group {}: router {}: {}", group, router.name(), e.getMessage());
      }
      return Optional.of(e.getMessage());
    }
  }

  /** The first app that does not serve, with why; empty when all do. */
  Optional<String> unhealthyApp(Group g) {
    for (Member app : g.apps()) {
      ContainerView c = app.container();
      if (!c.running()) {
        return Optional.of("app " + app.name() + " is " + c.state());
      }
      if (!app.attached()) {
        return Optional.of("app " + app.name() + " is not in the holder's namespace");
      }
      String health = c.health().orElse("none");
      if (health.equals("unhealthy")) {
        return Optional.of("app " + app.name() + " is unhealthy");
      }
      if (health.equals("starting")) {
        return Optional.of("app " + app.name() + " is starting");
      }
      Optional<String> probe = probes.unhealthy(c.id());
      if (probe.isPresent()) {
        return probe;
      }
    }
    return Optional.empty();
  }
}
