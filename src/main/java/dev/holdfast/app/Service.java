package dev.holdfast.app;

import dev.holdfast.docker.DockerEngine;
import dev.holdfast.docker.auth.CredentialHelpers;
import dev.holdfast.docker.auth.RegistryCredentials;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.http.ClientLimits;
import dev.holdfast.http.Credentials;
import dev.holdfast.http.HttpApi;
import dev.holdfast.http.Metrics;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.run.PlanExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the Docker engine, the store, the threads and the HTTP server around the
 * object graph ({@link Wiring}), started and stopped in order.
 */
public final class Service implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Service.class);

  /** Probes run in parallel so one slow app does not delay the others' verdicts. */
  private static final int PROBE_THREADS = 4;

  private final Config config;
  private final DockerEngine docker;
  private final ExecutorService runs;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService probes;
  private final Wiring graph;
  private final HttpApi http;

  public Service(Config config) throws IOException {
    this(config, PlanExecutor.Boundary.NONE);
  }

  /**
   * @param boundary called at every step boundary of a forward plan: the crash tests' seam (see
   *     {@code CrashPointMain} in the tests); production passes {@link PlanExecutor.Boundary#NONE}
   */
  public Service(Config config, PlanExecutor.Boundary boundary) throws IOException {
    config.validate();
    this.config = config;
    Files.createDirectories(config.dataDir());
    this.docker = new DockerEngine(config.dockerHost(), registryCredentials(config));
    this.runs = Executors.newCachedThreadPool(named("run"));
    this.scheduler = Executors.newScheduledThreadPool(2, named("heal"));
    this.probes = idleEnding(PROBE_THREADS, named("probe"));
    Metrics metrics = new Metrics();
    this.graph =
        new Wiring(
            config,
            new Wiring.Environment(
                docker,
                Clock.systemUTC(),
                Sleeper.REAL,
                runs,
                scheduler,
                probes,
                boundary,
                run -> metrics.ended(run.record())),
            Stores.open(config.dataDir()));
    this.http =
        new HttpApi(
            new HttpApi.Runs(
                graph.groups,
                graph.coordinator,
                graph.keeper,
                graph.waits,
                graph.journal,
                graph.engine,
                graph.stores.health(),
                graph.siteReporter),
            new HttpApi.Triggers(
                new RegistryHooks(config.hookHosts()),
                graph.hooks,
                graph.watchtower,
                graph.sessions),
            new Credentials(
                config.apiToken(),
                config.hookSecret(),
                config.hookSecrets(),
                config.insecureNoAuth(),
                metrics),
            new ClientLimits(config.hookRate()),
            metrics,
            Json.mapper(),
            graph.clock);
  }

  /** The logins of pulls; what is configured is logged (hosts and files, never a secret). */
  static RegistryCredentials registryCredentials(Config config) {
    RegistryCredentials credentials =
        new RegistryCredentials(
            config.registryAuth(),
            config.registryAuthFile(),
            Optional.of(config.dockerConfigPath()),
            CredentialHelpers.onPath());
    for (String line : credentials.describe()) {
      if (line.startsWith("unusable: ")) {
        log.warn("registry credentials {}", line);
      } else {
        log.info("registry credentials: {}", line);
      }
    }
    return credentials;
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
    long t0 = graph.clock.millis();
    try {
      int recovered = graph.recovery.recoverAll();
      if (recovered > 0) {
        log.info(
            "recovered {} run(s) left in flight in {} ms", recovered, graph.clock.millis() - t0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.error("recovering runs left in flight failed: {}", e.toString());
    }
    graph.healer.start();
    scheduler.scheduleWithFixedDelay(graph::tickProbes, 100, 100, TimeUnit.MILLISECONDS);
    // dedupe keys are written in batches, off the webhooks' path (see SqliteDedupeLog)
    scheduler.scheduleWithFixedDelay(graph.stores::flush, 250, 250, TimeUnit.MILLISECONDS);
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
    graph.coordinator.stopAccepting();
    graph.executor.stopAtNextStep();
    http.stop();
    graph.healer.close();
    graph.inventory.close();
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
    graph.stores.close();
    if (graph.sites instanceof AutoCloseable shared) {
      try {
        shared.close(); // etcd: the lease is revoked, so this site's slots go at once
      } catch (Exception e) {
        log.warn("closing the sites' store: {}", e.getMessage());
      }
    }
    try {
      docker.close();
    } catch (IOException e) {
      log.warn("closing the engine client: {}", e.getMessage());
    }
  }

  /**
   * Up to {@code threads} threads that end after 10 s without work: probes come in bursts (an
   * update's health gate), and an idle holdfast should not keep their stacks.
   */
  private static ExecutorService idleEnding(int threads, java.util.concurrent.ThreadFactory f) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
    pool.allowCoreThreadTimeOut(true);
    return pool;
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
