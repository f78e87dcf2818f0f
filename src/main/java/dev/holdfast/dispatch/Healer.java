package dev.holdfast.dispatch;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.engine.EngineException;
import dev.holdfast.group.AsideNames;
import dev.holdfast.group.Group;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RefusedException;
import dev.holdfast.run.Run;
import dev.holdfast.run.RunRequest;
import dev.holdfast.run.RunState;
import dev.holdfast.run.SiteReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds groups with stale members and queues a heal for each: at start-up, on container events (a
 * holder that starts is the moment its members went stale), and every reconcile interval in case an
 * event was missed. Reconciles coalesce: a burst of events costs one pass.
 *
 * <p>A group that another tool is visibly changing (Compose replacing its holder or a member,
 * someone stopping a member, container events still arriving: {@link Group#settling()}, {@link
 * EngineActivity}) waits: its members are healed onto the new holder once the group is quiet, and
 * after at most the reconcile interval; past that it is healed anyway if its holder runs, and the
 * status says what it waited for.
 */
public final class Healer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Healer.class);
  private static final Set<String> TRIGGERING =
      Set.of("start", "restart", "destroy", "die", "rename", "create", "kill", "stop");

  private final GroupService groups;
  private final Coordinator coordinator;
  private final RouteKeeper keeper;
  private final Engine engine;
  private final ScheduledExecutorService scheduler;
  private final Duration interval;
  private final EngineActivity activity;
  private final Waits waits;
  private final java.time.Clock clock;
  private final AtomicBoolean queued = new AtomicBoolean();

  /** The last heal of each group and how many in a row did not succeed: failed heals back off. */
  private final Map<String, Run> lastHeal = new ConcurrentHashMap<>();

  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> retryAfter = new ConcurrentHashMap<>();
  private volatile AutoCloseable subscription;
  private final SiteReporter sites;
  private volatile boolean closed;

  public Healer(
      GroupService groups,
      Coordinator coordinator,
      RouteKeeper keeper,
      Engine engine,
      ScheduledExecutorService scheduler,
      Duration interval,
      EngineActivity activity,
      Waits waits,
      java.time.Clock clock,
      SiteReporter sites) {
    this.sites = sites;
    this.groups = groups;
    this.coordinator = coordinator;
    this.keeper = keeper;
    this.engine = engine;
    this.scheduler = scheduler;
    this.interval = interval;
    this.activity = activity;
    this.waits = waits;
    this.clock = clock;
  }

  public void start() {
    subscribe();
    scheduler.scheduleWithFixedDelay(
        () -> request("reconcile"), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues one reconcile pass unless one is already queued. */
  public void request(String trigger) {
    if (queued.compareAndSet(false, true)) {
      scheduler.execute(
          () -> {
            queued.set(false);
            reconcile(trigger);
          });
    }
  }

  /** One pass: a heal for every group with stale members, a running holder and no run. */
  public synchronized void reconcile(String trigger) {
    long t0 = System.nanoTime();
    try {
      java.util.List<Group> all = groups.groups();
      keeper.watchProbes(all);
      for (Group g : all) {
        boolean holderUp = g.holder().map(h -> h.running()).orElse(false);
        if (coordinator.active(g.name()).isPresent()) {
          continue; // the run owns the group and its route until it ends
        }
        sites.report(g); // a broken site counts away at once, before any heal
        if (g.hasStaleMembers() || !holderUp) {
          if (waitsForAnotherTool(g)) {
            keep(g); // the route follows the apps meanwhile (withdrawn while one is down)
            continue;
          }
        } else {
          waits.done(g.name());
        }
        if (g.hasStaleMembers() && holderUp) {
          if (backingOff(g.name())) {
            continue;
          }
          log.info("group {} has stale members; healing ({})", g.name(), trigger);
          lastHeal.put(
              g.name(),
              coordinator.submit(new RunRequest(g.name(), PlanKind.HEAL, Set.of(), trigger)));
        } else {
          keep(g);
        }
        sites.report(g); // after keep: the route's intent is what the apps' health says now
      }
      sites.gone(all.stream().map(Group::name).collect(java.util.stream.Collectors.toSet()));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      // slow passes are worth knowing; the benchmark reads the others at DEBUG
      if (ms >= 2000) {
        log.info("reconcile pass ({}): {} groups in {} ms", trigger, all.size(), ms);
      } else {
        log.debug("reconcile pass ({}): {} groups in {} ms", trigger, all.size(), ms);
      }
    } catch (EngineException e) {
      log.warn("reconcile skipped: {}", e.getMessage());
    } catch (RefusedException e) {
      log.debug("reconcile: {}", e.getMessage());
    }
  }

  private void keep(Group g) {
    if (!keeper.keep(g, activity::stopping)) {
      // a router's BIRD did not answer (it may be starting): look again shortly
      scheduler.schedule(() -> request("route retry " + g.name()), 500, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Whether the group's heal waits for another tool: while it settles or is busy, for at most the
   * reconcile interval from when the wait began. A pass is scheduled for when it will be quiet.
   */
  private boolean waitsForAnotherTool(Group g) {
    java.util.List<String> why = new java.util.ArrayList<>(g.settling());
    why.addAll(activity.busy(g));
    if (why.isEmpty()) {
      waits.done(g.name());
      return false;
    }
    Instant now = clock.instant();
    Optional<Waits.Wait> before = waits.of(g.name());
    Waits.Wait w = waits.waiting(g.name(), now, why, interval);
    if (w.overdue()) {
      if (before.map(b -> !b.overdue()).orElse(true)) {
        log.warn("group {}: {}", g.name(), w.describe());
      }
      return false; // healed anyway if its holder runs; the status says what it waited for
    }
    if (before.isEmpty()) {
      log.info("group {}: {}", g.name(), w.describe());
    }
    Instant next = w.since().plus(interval);
    Instant quiet = activity.quietAt(g).orElse(next);
    if (quiet.isAfter(now) && quiet.isBefore(next)) {
      next = quiet;
    }
    long delay = Math.max(50, Duration.between(now, next).toMillis() + 10);
    scheduler.schedule(() -> request("settle " + g.name()), delay, TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * After a heal that did not succeed, the next one waits 5 s, doubling per failure up to the
   * reconcile interval: a group that cannot be healed is not hammered.
   */
  private boolean backingOff(String group) {
    Run last = lastHeal.get(group);
    if (last != null && last.state().ended()) {
      lastHeal.remove(group);
      if (last.state() == RunState.SUCCEEDED) {
        failures.remove(group);
        retryAfter.remove(group);
      } else {
        int n = failures.merge(group, 1, Integer::sum);
        long wait = Math.min(interval.toMillis(), 5000L << Math.min(n - 1, 10));
        Instant ended = last.endedAt();
        retryAfter.put(group, (ended == null ? clock.instant() : ended).plusMillis(wait));
        scheduler.schedule(() -> request("heal retry " + group), wait, TimeUnit.MILLISECONDS);
      }
    }
    Instant after = retryAfter.get(group);
    return after != null && clock.instant().isBefore(after);
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    try {
      subscription = engine.events(this::onEvent, this::onEnd);
      log.info("following engine events");
    } catch (EngineException e) {
      log.warn("cannot follow engine events, trying again in 1 s: {}", e.getMessage());
      scheduler.schedule(this::subscribe, 1, TimeUnit.SECONDS);
    }
  }

  private void onEvent(EngineEvent e) {
    activity.saw(e);
    String name = e.attributes().getOrDefault("name", "");
    if (AsideNames.isAside(name)) {
      return; // a run's own replacement or set-aside container: the run handles it
    }
    if (TRIGGERING.contains(e.action()) || e.action().startsWith("health_status")) {
      request("event " + e.action() + " " + e.attributes().getOrDefault("name", e.containerId()));
    }
  }

  private void onEnd(Throwable error) {
    if (closed) {
      return;
    }
    log.warn(
        "engine event stream ended{}; following again in 1 s",
        error == null ? "" : ": " + error.getMessage());
    scheduler.schedule(
        () -> {
          subscribe();
          request("events resumed"); // events may have been missed meanwhile
        },
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    closed = true;
    AutoCloseable s = subscription;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        log.debug("closing the event stream: {}", e.getMessage());
      }
    }
  }
}
