package dev.holdfast.http;

import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.run.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics on {@code /v1/metrics}: Watchtower's own families, so its dashboards keep
 * working, and holdfast's (runs, hooks).
 */
public final class Metrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger scanned = new AtomicInteger();
  private final AtomicInteger updated = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Counter scans;
  private final Counter skipped;
  private final Map<String, Counter> hooks = new ConcurrentHashMap<>();

  public Metrics() {
    Gauge.builder("watchtower_containers_scanned", scanned, AtomicInteger::get)
        .description("containers scanned by the last /v1/update")
        .register(registry);
    Gauge.builder("watchtower_containers_updated", updated, AtomicInteger::get)
        .description("containers updated by the last /v1/update")
        .register(registry);
    Gauge.builder("watchtower_containers_failed", failed, AtomicInteger::get)
        .description("containers whose update failed or rolled back in the last /v1/update")
        .register(registry);
    // Micrometer appends _total to counters: these scrape as watchtower_scans_total and
    // watchtower_scans_skipped_total (the fork's name for the latter)
    scans =
        Counter.builder("watchtower_scans")
            .description("/v1/update sessions, including refused ones")
            .register(registry);
    skipped =
        Counter.builder("watchtower_scans_skipped")
            .description("untargeted /v1/update sessions refused because another one ran")
            .register(registry);
  }

  /** A finished /v1/update session. */
  public void session(UpdateSessions.Summary s) {
    scans.increment();
    scanned.set(s.scanned());
    updated.set(s.updated());
    failed.set(s.failed() + s.rolledBack());
  }

  /** An untargeted /v1/update refused because another one ran. */
  public void sessionSkipped() {
    scans.increment();
    skipped.increment();
  }

  /** A hook delivery and what became of it: acted, ignored, duplicate, refused, malformed. */
  public void hook(String sender, String outcome) {
    // Looked up once per sender and outcome (a handful): the registry's own lookup builds and
    // sorts tags on every call, a measurable share of a webhook's cost
    hooks
        .computeIfAbsent(
            sender + '\n' + outcome,
            k -> registry.counter("holdfast_hooks", "sender", sender, "outcome", outcome))
        .increment();
  }

  /**
   * A run that ended: counted by kind and state, its duration, and each step's (the gate's also on
   * its own, the figure an operator asks about first), as Prometheus histograms.
   */
  public void ended(RunRecord run) {
    String kind = run.kind().label();
    String state = run.state().label();
    registry.counter("holdfast_runs", "kind", kind, "state", state).increment();
    if (run.startedAt() != null && run.endedAt() != null) {
      timer(
              "holdfast_run_duration",
              "time from a run's start to its end",
              "kind",
              kind,
              "state",
              state)
          .record(Duration.between(run.startedAt(), run.endedAt()));
    }
    for (StepRecord step : run.steps()) {
      if (step.startedAt() == null || step.endedAt() == null) {
        continue;
      }
      Duration took = Duration.between(step.startedAt(), step.endedAt());
      timer(
              "holdfast_step_duration",
              "time a step of a run took",
              "action",
              step.action().label(),
              "phase",
              step.phase().label(),
              "state",
              step.state().label())
          .record(took);
      if (step.action() == StepAction.GATE) {
        timer(
                "holdfast_gate_duration",
                "time a new member took to pass its health gate",
                "state",
                step.state().label())
            .record(took);
      }
    }
  }

  private Timer timer(String name, String description, String... tags) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
