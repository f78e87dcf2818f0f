package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.Step;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteException;
import dev.holdfast.site.Admission;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Sites;
import dev.holdfast.site.Work;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's withdrawal slots: {@link Step.Admit} waits for them, {@link Step.Release} gives them back
 * once the router proves the prefixes exported again and drained, and {@link #afterRun} makes sure
 * no run ever ends holding them. A planned run that fails or rolls back after it took its slots
 * halts its prefixes: the remaining planned work on them waits for an operator.
 */
final class SiteSlots {

  private static final Logger log = LoggerFactory.getLogger(SiteSlots.class);

  /** How often a waiting run asks the budget again. */
  static final Duration POLL = Duration.ofMillis(250);

  private final SiteReporter reporter;
  private final RouteControls routes;
  private final Engine engine;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration maxWait;
  private final Duration maxProof;

  /** Runs that took slots for planned work, by run id: their failure halts the prefixes. */
  private final Set<String> planned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param maxWait how long a run waits for the budget before it fails (nothing was stopped yet)
   * @param maxProof how long a release waits for the router to export the prefixes again
   */
  SiteSlots(
      SiteReporter reporter,
      RouteControls routes,
      Engine engine,
      Sleeper sleeper,
      Clock clock,
      Duration maxWait,
      Duration maxProof) {
    this.reporter = reporter;
    this.routes = routes;
    this.engine = engine;
    this.sleeper = sleeper;
    this.clock = clock;
    this.maxWait = maxWait;
    this.maxProof = maxProof;
  }

  private Sites sites() {
    return reporter.sites();
  }

  /** Waits until the budget lets this site withdraw, and takes its slots. */
  void admit(Run run, Plan plan, Step.Admit s, BooleanSupplier stopping, Runnable stillValid)
      throws InterruptedException {
    String site = reporter.siteOf(plan.group());
    Set<Prefix> prefixes = new HashSet<>(s.prefixes());
    Instant deadline = clock.instant().plus(maxWait);
    String said = null;
    // a repair's site is broken: it announces nothing others may count on until its release
    SiteState now = s.work() == Work.REPAIR ? SiteState.WITHDRAWN : reporter.current(plan.group());
    while (true) {
      reporter.report(plan.group(), prefixes, now);
      Admission a = sites().take(site, s.work(), s.override());
      if (a.granted()) {
        run.waiting(null);
        if (s.work() == Work.PLANNED) {
          planned.add(run.id());
        }
        log.info("site {} takes its withdrawal slots: {}", site, a.reason());
        return;
      }
      if (!a.reason().equals(said)) {
        log.info("site {} waits: {}", site, a.reason());
        said = a.reason();
      }
      run.waiting(a.reason());
      if (clock.instant().isAfter(deadline)) {
        run.waiting(null);
        throw new StepFailedException(
            "waited " + maxWait.toMinutes() + " min for the withdrawal budget: " + a.reason());
      }
      if (stopping.getAsBoolean()) {
        throw new InterruptedException("holdfast is stopping");
      }
      // a holder replaced while the run waits makes its plan stale and the site broken: the run
      // gives up (nothing was stopped) and its follow-up repairs the group without waiting
      stillValid.run();
      sleeper.sleep(POLL);
    }
  }

  /** Proves the prefixes exported again, waits the drain time, and gives the slots back. */
  void release(Run run, Plan plan, Step.Release s) throws InterruptedException {
    String site = reporter.siteOf(plan.group());
    if (!sites().holdsSlot(site)) {
      return;
    }
    if (alone(site, s.prefixes())) {
      // no other site of these prefixes waits on this one: nothing to prove to anybody
      reporter.report(plan.group(), new HashSet<>(s.prefixes()), SiteState.ANNOUNCING);
      sites().release(site);
      planned.remove(run.id());
      return;
    }
    Optional<String> why = awaitExported(s.target(), s, plan.holderId());
    if (why.isPresent()) {
      // the app serves and the route is meant announced, but the router does not show it: the
      // next site must not withdraw on the strength of this one (a repair is not halted: the
      // healer goes on with the site)
      String reason =
          "site " + site + " did not export " + Prefix.text(s.prefixes()) + " again: " + why.get();
      if (planned.remove(run.id())) {
        sites().halt(new HashSet<>(s.prefixes()), reason + " (run " + run.id() + ")");
      }
      reporter.report(plan.group(), new HashSet<>(s.prefixes()), SiteState.WITHDRAWN);
      sites().release(site);
      throw new StepFailedException(reason);
    }
    if (!s.route().drain().isZero()) {
      sleeper.sleep(s.route().drain()); // traffic comes back to this site before the next goes
    }
    reporter.report(plan.group(), new HashSet<>(s.prefixes()), SiteState.ANNOUNCING);
    sites().release(site);
    planned.remove(run.id());
    log.info("site {} gives its withdrawal slots back", site);
  }

  /**
   * Whatever the run's end, it holds no slot after it. A planned run that did not succeed halts its
   * prefixes; a rollback that announced the route again gives the slots back only once exported.
   */
  void afterRun(Run run, Plan plan, PlanExecutor.Outcome outcome, boolean announced)
      throws InterruptedException {
    String site = reporter.siteOf(plan.group());
    boolean tookPlanned = planned.remove(run.id());
    if (!sites().holdsSlot(site)) {
      return;
    }
    List<Prefix> prefixes =
        plan.steps().stream()
            .filter(Step.Admit.class::isInstance)
            .map(Step.Admit.class::cast)
            .findFirst()
            .map(Step.Admit::prefixes)
            .orElse(List.of());
    if (tookPlanned && outcome.state() != RunState.SUCCEEDED) {
      sites()
          .halt(
              new HashSet<>(prefixes),
              "run "
                  + run.id()
                  + " of site "
                  + site
                  + " "
                  + outcome.state().label()
                  + (outcome.reason() == null ? "" : ": " + outcome.reason()));
      log.warn(
          "planned work on {} halted: run {} {}",
          Prefix.text(prefixes),
          run.id(),
          outcome.state().label());
    }
    Optional<Step.Release> release =
        plan.steps().stream()
            .filter(Step.Release.class::isInstance)
            .map(Step.Release.class::cast)
            .findFirst();
    boolean exported = false;
    if (announced && release.isPresent()) {
      Optional<String> why = awaitExported(release.get().target(), release.get(), plan.holderId());
      exported = why.isEmpty();
      if (exported && !release.get().route().drain().isZero()) {
        sleeper.sleep(release.get().route().drain());
      }
    }
    // announced but not proven exported counts away: the next reconcile pass looks again
    reporter.report(
        plan.group(),
        new HashSet<>(prefixes),
        exported ? SiteState.ANNOUNCING : SiteState.WITHDRAWN);
    sites().release(site);
  }

  /** Whether the site is the only known site of every one of its prefixes. */
  private boolean alone(String site, List<Prefix> prefixes) {
    java.util.Map<Prefix, List<dev.holdfast.site.Site>> view = sites().view();
    return prefixes.stream()
        .allMatch(p -> view.getOrDefault(p, List.of()).stream().allMatch(x -> x.id().equals(site)));
  }

  private Optional<String> awaitExported(String router, Step.Release s, String holderId)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(maxProof);
    String last = "the router is gone";
    while (true) {
      try {
        Optional<ContainerView> c = engine.container(router);
        if (c.isPresent() && !c.get().networkMode().equals("container:" + holderId)) {
          // a router left in another namespace never reaches the peers from this site
          return Optional.of(
              router + " is not in the holder's namespace (" + c.get().networkMode() + ")");
        }
        if (c.isPresent()) {
          Optional<String> why =
              routes.get(s.route().strategy()).notExported(c.get(), s.route(), s.prefixes());
          if (why.isEmpty()) {
            return why;
          }
          last = why.get();
        }
      } catch (RouteException | EngineException e) {
        last = e.getMessage();
      }
      if (clock.instant().isAfter(deadline)) {
        return Optional.of(last + " (after " + maxProof.toSeconds() + " s)");
      }
      sleeper.sleep(POLL);
    }
  }
}
