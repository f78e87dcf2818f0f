package dev.holdfast.app;

import dev.holdfast.dispatch.EngineActivity;
import dev.holdfast.dispatch.Healer;
import dev.holdfast.dispatch.HookService;
import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.dispatch.Waits;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.docker.ResilientEngine;
import dev.holdfast.docker.RetryPolicy;
import dev.holdfast.engine.Engine;
import dev.holdfast.group.Scope;
import dev.holdfast.inventory.Inventory;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.probe.ProbeWatcher;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.route.BirdRouteControl;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.route.SitePrefixes;
import dev.holdfast.route.StopRouteControl;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.PlanExecutor;
import dev.holdfast.run.Recovery;
import dev.holdfast.run.RunJournal;
import dev.holdfast.run.SiteReporter;
import dev.holdfast.site.SiteBook;
import dev.holdfast.site.Sites;
import dev.holdfast.trigger.Dedupe;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * holdfast's object graph, built through constructors in this one place, in the order each part
 * needs the ones before it; production ({@link Service}) and tests build it the same way, a test
 * passing a fake engine, a clock and executors of its own.
 */
public final class Wiring {

  /** Pushes without a digest are remembered briefly: the next real push of the tag looks alike. */
  static final Duration NO_DIGEST_WINDOW = Duration.ofSeconds(30);

  /**
   * What the graph runs on: the engine (the Docker adapter, or a test's fake), time, and threads.
   *
   * @param runs where runs are driven, one task per group at a time
   * @param scheduler the healer's passes and the periodic ticks
   * @param probes where probes run, in parallel
   * @param boundary the test seam at every step boundary of a forward plan ({@link
   *     PlanExecutor.Boundary#NONE} in production)
   * @param ended hears of every run that ends
   */
  public record Environment(
      Engine engine,
      Clock clock,
      Sleeper sleeper,
      Executor runs,
      ScheduledExecutorService scheduler,
      Executor probes,
      PlanExecutor.Boundary boundary,
      Consumer<dev.holdfast.run.Run> ended) {}

  public final Config config;
  public final Stores stores;
  public final Engine engine;

  /** The engine's containers from its events: reads cost no engine call (closed by Service). */
  public final Inventory inventory;

  public final Clock clock;
  public final RouteControls routes;
  public final GroupService groups;
  public final ProbeWatcher watcher;
  public final RouteKeeper keeper;
  public final HealthGate gate;
  public final PlanExecutor executor;
  public final RunJournal journal;
  public final Recovery recovery;
  public final Coordinator coordinator;
  public final Waits waits;
  public final Healer healer;
  public final HookService hooks;
  public final WatchtowerService watchtower;
  public final UpdateSessions sessions;
  public final SitePrefixes prefixes;
  public final Sites sites;
  public final SiteReporter siteReporter;

  public Wiring(Config config, Environment env, Stores stores) {
    this.config = config;
    this.stores = stores;
    this.clock = env.clock();
    this.inventory =
        new Inventory(
            new ResilientEngine(
                env.engine(),
                new RetryPolicy(
                    config.retryAttempts(), config.retryInitial(), 2.0, config.retryMax())),
            config.inventoryResync());
    this.engine = inventory;
    this.routes =
        new RouteControls(
            List.of(
                new StopRouteControl(engine), new BirdRouteControl(engine, env.sleeper()::sleep)));
    this.prefixes = new SitePrefixes(routes, stores.prefixes());
    this.groups =
        new GroupService(
            engine,
            stores.memory(),
            routes,
            clock,
            config.scope().orElse(Scope.NONE),
            prefixes,
            SelfContainer.detect());
    this.watcher = new ProbeWatcher(engine, clock, env.probes());
    this.keeper = new RouteKeeper(routes, clock, watcher, stores.routes());
    this.gate = new HealthGate(engine, clock, env.sleeper(), config.gatePoll());
    this.sites = sites(config);
    this.siteReporter = new SiteReporter(sites, prefixes, keeper, routes, config.instanceName());
    this.executor =
        new PlanExecutor(
            engine,
            routes,
            gate,
            keeper,
            env.boundary(),
            siteReporter,
            env.sleeper(),
            clock,
            config.budgetWait());
    this.journal = new RunJournal(stores.runs());
    this.recovery = new Recovery(engine, groups, executor, gate, journal, keeper, clock);
    this.coordinator =
        new Coordinator(
            groups, executor, recovery, journal, stores.health(), env.ended(), env.runs(), clock);
    this.waits = new Waits();
    this.healer =
        new Healer(
            groups,
            coordinator,
            keeper,
            engine,
            env.scheduler(),
            config.reconcileInterval(),
            new EngineActivity(clock, config.settle()),
            waits,
            clock,
            siteReporter);
    this.hooks =
        new HookService(
            groups,
            coordinator,
            new Dedupe(clock, config.hookDedupeWindow(), Stores.DEDUPE_KEYS, stores.digestKeys()),
            new Dedupe(
                clock,
                min(config.hookDedupeWindow(), NO_DIGEST_WINDOW),
                Stores.DEDUPE_KEYS,
                stores.noDigestKeys()));
    this.watchtower =
        new WatchtowerService(groups, coordinator, () -> healer.request("watchtower notification"));
    this.sessions = new UpdateSessions(groups, coordinator, clock);
  }

  /** One probe tick: probes that are due start; a group whose verdict changed gets a pass. */
  public void tickProbes() {
    for (String group : watcher.tick()) {
      healer.request("probe verdict changed in " + group);
    }
  }

  /** The one-host budget, or the one shared through etcd with other hosts' instances. */
  static Sites sites(Config config) {
    return config
        .etcd()
        .<Sites>map(
            endpoints ->
                dev.holdfast.etcd.EtcdSites.connect(
                    endpoints, config.etcdPrefix(), config.etcdTtl(), config.budgets()))
        .orElseGet(() -> new SiteBook(config.budgets()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
