package dev.holdfast.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.api.HookApi;
import dev.holdfast.api.HttpApi;
import dev.holdfast.api.Metrics;
import dev.holdfast.docker.DockerEngine;
import dev.holdfast.engine.Engine;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.hook.RegistryKind;
import dev.holdfast.route.BirdRouteControl;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.StopRouteControl;
import dev.holdfast.run.ClientLimits;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.Healer;
import dev.holdfast.run.HealthGate;
import dev.holdfast.run.HookService;
import dev.holdfast.run.PlanRunner;
import dev.holdfast.run.ProbeWatcher;
import dev.holdfast.run.ResilientEngine;
import dev.holdfast.run.RetryPolicy;
import dev.holdfast.run.RouteKeeper;
import dev.holdfast.run.RunJournal;
import dev.holdfast.run.Sleeper;
import dev.holdfast.run.UpdateSessions;
import dev.holdfast.store.JsonFileGroupMemory;
import dev.holdfast.trigger.Dedupe;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  /** Pushes without a digest are remembered briefly: the next real push of the tag looks alike. */
  private static final Duration NO_DIGEST_WINDOW = Duration.ofSeconds(30);

  private static final int DEDUPE_KEYS = 100_000;

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Map<RegistryKind, String> hookHosts(Map<String, String> hosts) {
    Map<RegistryKind, String> byKind = new java.util.EnumMap<>(RegistryKind.class);
    hosts.forEach(
        (sender, host) -> {
          if (!sender.equals("watchtower")) {
            byKind.put(RegistryKind.parse(sender), host);
          }
        });
    return byKind;
  }

  /** Probes run in parallel so one slow app does not delay the others' verdicts. */
  private static final int PROBE_THREADS = 4;

  private final Coordinator coordinator;
  private final Healer healer;
  private final Javalin http;

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
    GroupService groups =
        new GroupService(
            engine, new JsonFileGroupMemory(config.dataDir().resolve("groups.json"), json), routes);
    this.probes = Executors.newFixedThreadPool(PROBE_THREADS, named("probe"));
    ProbeWatcher watcher = new ProbeWatcher(engine, clock, probes);
    RouteKeeper keeper = new RouteKeeper(routes, clock, watcher);
    PlanRunner runner =
        new PlanRunner(
            engine, routes, new HealthGate(engine, clock, Sleeper.REAL, config.gatePoll()), keeper);
    RunJournal journal = new RunJournal(1000);
    this.runs = Executors.newCachedThreadPool(named("run"));
    this.scheduler = Executors.newScheduledThreadPool(2, named("heal"));
    this.coordinator = new Coordinator(groups, runner, journal, runs, clock);
    this.healer =
        new Healer(groups, coordinator, keeper, engine, scheduler, config.reconcileInterval());
    watcher.listen(group -> healer.request("probe verdict changed in " + group));
    this.watcher = watcher;
    Metrics metrics = new Metrics();
    coordinator.onEnded(run -> metrics.run(run.kind().label(), run.state().label()));
    HookService hookService =
        new HookService(
            groups,
            coordinator,
            new Dedupe(clock, config.hookDedupeWindow(), DEDUPE_KEYS),
            new Dedupe(clock, min(config.hookDedupeWindow(), NO_DIGEST_WINDOW), DEDUPE_KEYS),
            () -> healer.request("watchtower notification"));
    HookApi hooks =
        new HookApi(
            hookService,
            new UpdateSessions(groups, coordinator, clock),
            groups,
            new RegistryHooks(hookHosts(config.hookHosts())),
            new ClientLimits(config.hookRate()),
            metrics,
            config::hookSecret,
            config.apiToken(),
            config.insecureNoAuth());
    this.http =
        new HttpApi(
                groups,
                coordinator,
                keeper,
                journal,
                engine,
                config.apiToken(),
                config.insecureNoAuth(),
                json,
                hooks)
            .javalin();
  }

  public void start() {
    http.start(config.listenHost(), config.listenPort());
    log.info("listening on {}:{}", config.listenHost(), http.port());
    if (config.apiToken() == null) {
      log.warn(
          config.insecureNoAuth()
              ? "no API token: mutating endpoints are open on loopback (--insecure-no-auth)"
              : "no API token: mutating endpoints are off; set HOLDFAST_API_TOKEN");
    }
    healer.start();
    scheduler.scheduleWithFixedDelay(watcher::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  public int port() {
    return http.port();
  }

  /** Stops taking triggers, lets runs finish their current work, then closes the engine. */
  @Override
  public void close() {
    log.info("stopping");
    coordinator.stopAccepting();
    http.stop();
    healer.close();
    scheduler.shutdownNow();
    probes.shutdownNow();
    runs.shutdown();
    try {
      if (!runs.awaitTermination(60, TimeUnit.SECONDS)) {
        log.warn("runs still under way after 60 s; stopping anyway");
        runs.shutdownNow();
      }
      docker.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
