package dev.holdfast.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.dispatch.EngineActivity;
import dev.holdfast.dispatch.Healer;
import dev.holdfast.dispatch.HookService;
import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.dispatch.Waits;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.docker.DockerEngine;
import dev.holdfast.docker.ResilientEngine;
import dev.holdfast.docker.RetryPolicy;
import dev.holdfast.engine.Engine;
import dev.holdfast.group.GroupMemory;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.http.ClientLimits;
import dev.holdfast.http.Credentials;
import dev.holdfast.http.HttpApi;
import dev.holdfast.http.Metrics;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.probe.ProbeWatcher;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.route.BirdRouteControl;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.route.RouteStore;
import dev.holdfast.route.StopRouteControl;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.MemoryRunStore;
import dev.holdfast.run.PlanRunner;
import dev.holdfast.run.Recovery;
import dev.holdfast.run.RunJournal;
import dev.holdfast.run.StoreHealth;
import dev.holdfast.store.Sqlite;
import dev.holdfast.store.SqliteDedupeLog;
import dev.holdfast.store.SqliteGroupMemory;
import dev.holdfast.store.SqliteRouteStore;
import dev.holdfast.store.SqliteRunStore;
import dev.holdfast.store.StoreException;
import dev.holdfast.trigger.Dedupe;
import dev.holdfast.trigger.DedupeLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: every part wired by hand, started and stopped in order. */
public final class Service implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final Config config;
  private final DockerEngine docker;
  private final ExecutorService runs;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService probes;
  private final ProbeWatcher watcher;
  private final StoreHealth storeHealth;
  private final Sqlite store;
  private final PlanRunner runner;
  private final Recovery recovery;

  /** Pushes without a digest are remembered briefly: the next real push of the tag looks alike. */
  private static final Duration NO_DIGEST_WINDOW = Duration.ofSeconds(30);

  private static final int DEDUPE_KEYS = 100_000;

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Probes run in parallel so one slow app does not delay the others' verdicts. */
  private static final int PROBE_THREADS = 4;

  private final Coordinator coordinator;
  private final Healer healer;
  private final HttpApi http;

  public Service(Config config) throws IOException {
    config.validate();
    this.config = config;
    Files.createDirectories(config.dataDir());
    ObjectMapper json = Json.mapper();
    this.docker = new DockerEngine(config.dockerHost());
    Engine engine =
        new ResilientEngine(
            docker,
            new RetryPolicy(config.retryAttempts(), config.retryInitial(), 2.0, config.retryMax()));
    Clock clock = Clock.systemUTC();
    RouteControls routes =
        new RouteControls(
            List.of(
                new StopRouteControl(engine), new BirdRouteControl(engine, Sleeper.REAL::sleep)));
    this.storeHealth = new StoreHealth();
    this.store = openStore(config, storeHealth);
    GroupMemory memory =
        store == null ? new InMemoryGroupMemory() : new SqliteGroupMemory(store, storeHealth);
    GroupService groups = new GroupService(engine, memory, routes);
    this.probes = Executors.newFixedThreadPool(PROBE_THREADS, named("probe"));
    ProbeWatcher watcher = new ProbeWatcher(engine, clock, probes);
    RouteKeeper keeper =
        new RouteKeeper(
            routes,
            clock,
            watcher,
            store == null ? RouteStore.NONE : new SqliteRouteStore(store, storeHealth, 100));
    HealthGate gate = new HealthGate(engine, clock, Sleeper.REAL, config.gatePoll());
    this.runner = new PlanRunner(engine, routes, gate, keeper);
    crashPoint(config.testCrashAt().orElse(null));
    RunJournal journal =
        new RunJournal(
            store == null
                ? new MemoryRunStore(1000)
                : new SqliteRunStore(store, storeHealth, 10_000));
    this.recovery = new Recovery(engine, groups, runner, gate, journal, clock);
    this.runs = Executors.newCachedThreadPool(named("run"));
    this.scheduler = Executors.newScheduledThreadPool(2, named("heal"));
    this.coordinator = new Coordinator(groups, runner, journal, runs, clock);
    coordinator.requireStore(storeHealth);
    coordinator.recoverWith(recovery, Duration.ofHours(1));
    Waits waits = new Waits();
    this.healer =
        new Healer(
            groups,
            coordinator,
            keeper,
            engine,
            scheduler,
            config.reconcileInterval(),
            new EngineActivity(clock, config.settle()),
            waits,
            clock);
    watcher.listen(group -> healer.request("probe verdict changed in " + group));
    this.watcher = watcher;
    Metrics metrics = new Metrics();
    coordinator.onEnded(run -> metrics.run(run.kind().label(), run.state().label()));
    HookService hookService =
        new HookService(
            groups,
            coordinator,
            new Dedupe(
                clock, config.hookDedupeWindow(), DEDUPE_KEYS, dedupeLog("digest", storeHealth)),
            new Dedupe(
                clock,
                min(config.hookDedupeWindow(), NO_DIGEST_WINDOW),
                DEDUPE_KEYS,
                dedupeLog("no-digest", storeHealth)));
    this.http =
        new HttpApi(
            new HttpApi.Runs(groups, coordinator, keeper, waits, journal, engine, storeHealth),
            new HttpApi.Triggers(
                new RegistryHooks(config.hookHosts()),
                hookService,
                new WatchtowerService(
                    groups, coordinator, () -> healer.request("watchtower notification")),
                new UpdateSessions(groups, coordinator, clock)),
            new Credentials(
                config.apiToken(),
                config.hookSecret(),
                config.hookSecrets(),
                config.insecureNoAuth(),
                metrics),
            new ClientLimits(config.hookRate()),
            metrics,
            json,
            clock);
  }

  public void start() {
    http.start(config.listenHost(), config.listenPort());
    log.info("listening on {}:{}", config.listenHost(), http.port());
    if (config.apiToken().isEmpty()) {
      log.warn(
          config.insecureNoAuth()
              ? "no API token: mutating endpoints are open on loopback (--insecure-no-auth)"
              : "no API token: mutating endpoints are off; set HOLDFAST_API_TOKEN");
    }
    long t0 = System.nanoTime();
    try {
      int recovered = recovery.recoverAll();
      if (recovered > 0) {
        log.info(
            "recovered {} run(s) left in flight in {} ms",
            recovered,
            (System.nanoTime() - t0) / 1_000_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.error("recovering runs left in flight failed: {}", e.toString());
    }
    healer.start();
    scheduler.scheduleWithFixedDelay(watcher::tick, 100, 100, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::flushDedupeKeys, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Opens the store; when it cannot be opened holdfast serves status but refuses runs. */
  private static Sqlite openStore(Config config, StoreHealth health) {
    try {
      return Sqlite.open(config.dataDir());
    } catch (StoreException e) {
      health.failed(e.getMessage());
      return null;
    }
  }

  private final List<SqliteDedupeLog> dedupeLogs =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private DedupeLog dedupeLog(String namespace, StoreHealth health) {
    if (store == null) {
      return DedupeLog.NONE;
    }
    SqliteDedupeLog log = new SqliteDedupeLog(store, health, namespace, DEDUPE_KEYS);
    dedupeLogs.add(log);
    return log;
  }

  /** Dedupe keys are written in batches, off the webhooks' path (see SqliteDedupeLog). */
  private void flushDedupeKeys() {
    dedupeLogs.forEach(SqliteDedupeLog::flush);
  }

  /** Tests only: kills the process (as SIGKILL would) after N steps of an update or heal. */
  private void crashPoint(String at) {
    if (at == null) {
      return;
    }
    String kind = at.substring(0, at.indexOf(':'));
    int steps = Integer.parseInt(at.substring(at.indexOf(':') + 1));
    log.warn(
        "HOLDFAST_TEST_CRASH_AT={}: this process dies after {} steps of a {}", at, steps, kind);
    runner.boundary(
        (run, done) -> {
          if (done == steps && run.kind().label().equals(kind)) {
            log.warn("crash point reached: run {} after {} steps", run.id(), done);
            Runtime.getRuntime().halt(137);
          }
        });
  }

  public int port() {
    return http.port();
  }

  /**
   * Stops taking triggers; runs stop at their next step boundary (the current step finishes, up to
   * the stop timeout), their records stay in the store, and the next start finishes or rolls them
   * back. Then the store and the engine client are closed.
   */
  @Override
  public void close() {
    log.info("stopping");
    coordinator.stopAccepting();
    runner.stopAtNextStep();
    http.stop();
    healer.close();
    scheduler.shutdownNow();
    probes.shutdownNow();
    runs.shutdown();
    try {
      if (!runs.awaitTermination(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "a step still under way after {}; stopping it, the next start recovers the run",
            config.stopTimeout());
        runs.shutdownNow();
        runs.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (store != null) {
      flushDedupeKeys();
      store.close();
    }
    try {
      docker.close();
    } catch (IOException e) {
      log.warn("closing the engine client: {}", e.getMessage());
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
