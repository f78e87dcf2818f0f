package dev.holdfast.probe;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Waits until a started member serves, by its {@link GatePolicy}; probes run by {@link Prober}. */
public final class HealthGate {

  private final Engine engine;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration poll;
  private final Prober prober;

  public HealthGate(Engine engine, Clock clock, Sleeper sleeper, Duration poll) {
    this.engine = engine;
    this.clock = clock;
    this.sleeper = sleeper;
    this.poll = poll;
    this.prober = new Prober(engine);
  }

  /**
   * @return empty when the member passed; otherwise why it did not
   */
  public Optional<String> await(String member, String holderId, GatePolicy policy)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(policy.timeout());
    ContainerView first = engine.container(member).orElse(null);
    if (first == null) {
      return Optional.of(member + " does not exist");
    }
    Instant runningSince = null;
    String last = "not checked yet";
    while (true) {
      ContainerView c = engine.container(member).orElse(null);
      if (c == null) {
        return Optional.of(member + " disappeared");
      }
      if (c.state().equals("exited") || c.state().equals("dead")) {
        return Optional.of(member + " " + c.state() + " instead of serving");
      }
      if (c.restartCount() > first.restartCount()) {
        return Optional.of(member + " restarted " + c.restartCount() + " times while gated");
      }
      if (c.running() && runningSince == null) {
        runningSince = clock.instant();
      }
      if (c.running()) {
        Check result = check(c, holderId, policy.check(), runningSince);
        if (result.passed()) {
          return Optional.empty();
        }
        if (result.fatal()) {
          return Optional.of(member + ": " + result.detail());
        }
        last = result.detail();
      } else {
        last = "state " + c.state();
      }
      if (!clock.instant().isBefore(deadline)) {
        return Optional.of(
            member
                + " not healthy within "
                + policy.timeout().toSeconds()
                + "s by "
                + policy.check().describe()
                + " (last: "
                + last
                + ")");
      }
      sleeper.sleep(poll);
    }
  }

  /**
   * Waits until the holder runs again (an engine restart stops it; its restart policy brings it
   * back): true when it runs, false when it is gone or did not come back within the timeout.
   */
  public boolean awaitHolder(String holderId, Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<ContainerView> h = null;
      try {
        h = engine.container(holderId);
      } catch (EngineException e) {
        // the engine is away: keep waiting within the deadline
      }
      if (h != null && h.isEmpty()) {
        return false;
      }
      if (h != null && h.get().running()) {
        return true;
      }
      if (!clock.instant().isBefore(deadline)) {
        return false;
      }
      sleeper.sleep(poll);
    }
  }

  /** Waits, through the injected sleeper (a drain time, for instance). */
  public void pause(Duration d) throws InterruptedException {
    sleeper.sleep(d);
  }

  private record Check(boolean passed, boolean fatal, String detail) {}

  private Check check(ContainerView c, String holderId, HealthCheck hc, Instant runningSince) {
    if (hc instanceof HealthCheck.Both both) {
      Check first = check(c, holderId, both.first(), runningSince);
      return first.passed() ? check(c, holderId, both.second(), runningSince) : first;
    }
    if (hc instanceof HealthCheck.Docker) {
      String status = c.health().orElse("none");
      return new Check(
          status.equals("healthy"), status.equals("unhealthy"), "docker health " + status);
    }
    if (hc instanceof HealthCheck.Settle s) {
      Duration up = Duration.between(runningSince, clock.instant());
      return new Check(
          up.compareTo(s.duration()) >= 0, false, "running for " + up.toMillis() + " ms");
    }
    Prober.Result r = prober.probe(hc, holderId, c.id());
    return new Check(r.passed(), false, r.detail());
  }
}
