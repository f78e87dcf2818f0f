package dev.holdfast.probe;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.group.Group;
import dev.holdfast.group.Member;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code holdfast.health} probe of every running app in a group with routers, outside
 * runs, and turns the results into healthy or unhealthy with fall/rise hysteresis ({@link
 * ProbeCount}). Each tick returns the groups whose verdict changed since the last one, for whoever
 * drives the ticks (the app, which asks the healer to bring the route to it).
 *
 * <p>Watches are keyed by container id: a recreated app starts a fresh count, because its gate has
 * just proved it serves.
 */
public final class ProbeWatcher {

  private static final Logger log = LoggerFactory.getLogger(ProbeWatcher.class);

  private final Prober prober;
  private final Clock clock;
  private final Executor probes;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Set<String> badLabels = ConcurrentHashMap.newKeySet();
  private final java.util.Queue<String> changed =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** One watched app: where its probe runs, its count and when it is due. */
  record Watch(
      String group,
      String app,
      String holderId,
      String containerId,
      ProbePolicy policy,
      ProbeCount count,
      Instant due,
      boolean inFlight) {

    Watch with(ProbeCount c, Instant nextDue, boolean flying) {
      return new Watch(group, app, holderId, containerId, policy, c, nextDue, flying);
    }
  }

  public ProbeWatcher(Engine engine, Clock clock, Executor probes) {
    this.prober = new Prober(engine);
    this.clock = clock;
    this.probes = probes;
  }

  /**
   * Brings the watch list to these groups: apps with a probe that run in their holder's namespace
   * are watched, anything else is dropped. Groups without routers are not watched: there is no
   * route to move.
   */
  public void watch(List<Group> groups) {
    Set<String> seen = new HashSet<>();
    for (Group g : groups) {
      Optional<ContainerView> holder = g.holder();
      if (g.routers().isEmpty() || holder.isEmpty() || !holder.get().running()) {
        continue;
      }
      for (Member app : g.apps()) {
        ContainerView c = app.container();
        if (!c.running() || !app.attached()) {
          continue;
        }
        Optional<ProbePolicy> policy = policy(g.name(), app);
        if (policy.isEmpty()) {
          continue;
        }
        seen.add(c.id());
        watches.computeIfAbsent(
            c.id(),
            id -> {
              log.info(
                  "group {}: watching app {} by {}", g.name(), app.name(), policy.get().describe());
              return new Watch(
                  g.name(),
                  app.name(),
                  holder.get().id(),
                  id,
                  policy.get(),
                  ProbeCount.start(),
                  clock.instant(),
                  false);
            });
      }
    }
    watches.keySet().retainAll(seen);
  }

  private Optional<ProbePolicy> policy(String group, Member app) {
    try {
      return ProbePolicy.of(app.container().labels());
    } catch (IllegalArgumentException e) {
      if (badLabels.add(app.container().id())) {
        log.warn("group {}: app {} is not watched: {}", group, app.name(), e.getMessage());
      }
      return Optional.empty();
    }
  }

  /**
   * Starts every probe that is due and not already running; cheap, called often.
   *
   * @return the groups whose verdict changed since the last tick (each once)
   */
  public Set<String> tick() {
    try {
      startDue();
    } catch (RuntimeException e) {
      // a periodic task that throws is never run again: keep watching
      log.warn("probe tick: {}", e.toString());
    }
    Set<String> groups = new java.util.LinkedHashSet<>();
    for (String g = changed.poll(); g != null; g = changed.poll()) {
      groups.add(g);
    }
    return groups;
  }

  private void startDue() {
    Instant now = clock.instant();
    for (Watch w : List.copyOf(watches.values())) {
      if (w.inFlight() || now.isBefore(w.due())) {
        continue;
      }
      Watch flying = w.with(w.count(), w.due(), true);
      if (watches.replace(w.containerId(), w, flying)) {
        probes.execute(() -> probe(flying));
      }
    }
  }

  private void probe(Watch w) {
    Prober.Result r;
    try {
      r = prober.probe(w.policy().probe(), w.holderId(), w.containerId());
    } catch (RuntimeException e) {
      r = new Prober.Result(false, w.policy().probe().describe() + " failed: " + e.getMessage());
    }
    ProbeCount next = w.count().next(r.passed(), r.detail(), w.policy());
    // the next probe is due one interval after this one was due, not after it answered: a slow
    // probe does not stretch fall × interval
    Instant due = w.due().plus(w.policy().interval());
    Instant now = clock.instant();
    Watch done = w.with(next, due.isBefore(now) ? now : due, false);
    if (!watches.replace(w.containerId(), w, done)) {
      return; // dropped meanwhile: the app is gone
    }
    if (next.healthy() != w.count().healthy()) {
      log.info(
          "group {}: app {} turned {} by {} ({})",
          w.group(),
          w.app(),
          next.healthy() ? "healthy" : "unhealthy",
          w.policy().describe(),
          r.detail());
      changed.add(w.group());
    }
  }

  /** Why this app's probe says it does not serve; empty when it serves or is not watched. */
  public Optional<String> unhealthy(String containerId) {
    Watch w = watches.get(containerId);
    if (w == null || w.count().healthy()) {
      return Optional.empty();
    }
    return Optional.of(
        "app "
            + w.app()
            + " failed "
            + w.policy().probe().describe()
            + " "
            + w.policy().fall()
            + " times in a row (last: "
            + w.count().last()
            + ")");
  }

  /** The probe state of a watched app, for the status. */
  public Optional<ProbeCount> count(String containerId) {
    return Optional.ofNullable(watches.get(containerId)).map(Watch::count);
  }
}
