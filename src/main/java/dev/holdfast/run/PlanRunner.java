package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Role;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.Step;
import dev.holdfast.probe.GatePolicy;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteException;
import dev.holdfast.route.RouteKeeper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a plan step by step against the engine, recording each step in the run. When a step
 * fails (after the engine retries) or a gate does not pass, it rolls back: replacements removed,
 * old members restored under their names, started and gated, and the route announced again only if
 * every app passes.
 */
public final class PlanRunner {

  private static final Logger log = LoggerFactory.getLogger(PlanRunner.class);

  private final Engine engine;
  private final RouteControls routes;
  private final HealthGate gate;
  private final Rollback rollback;
  private final RouteKeeper keeper;
  private final PlanGuard guard;

  public PlanRunner(Engine engine, RouteControls routes, HealthGate gate, RouteKeeper keeper) {
    this.engine = engine;
    this.routes = routes;
    this.gate = gate;
    this.keeper = keeper;
    this.guard = new PlanGuard(engine);
    this.rollback = new Rollback(engine, routes, gate, keeper);
  }

  Rollback rollback() {
    return rollback;
  }

  /**
   * The end of a run: its final state and, unless it succeeded cleanly, why.
   *
   * @param followUp whether the group must be run again at once (the holder restarted under the
   *     run: a heal makes the group whole)
   */
  public record Outcome(RunState state, String reason, boolean followUp) {

    public Outcome(RunState state, String reason) {
      this(state, reason, false);
    }

    Outcome needingFollowUp() {
      return new Outcome(state, reason, true);
    }
  }

  /**
   * A test-only hook called at every step boundary with the steps done so far; the crash tests use
   * it to kill the process there ({@code HOLDFAST_TEST_CRASH_AT}).
   */
  public interface Boundary {
    void reached(Run run, int stepsDone);

    Boundary NONE = (run, done) -> {};
  }

  private volatile Boundary boundary = Boundary.NONE;
  private volatile boolean stopping;

  public void boundary(Boundary b) {
    this.boundary = b;
  }

  /**
   * Runs stop at the next step boundary: the run stays unfinished in the store, and the next
   * process finishes or rolls it back.
   */
  public void stopAtNextStep() {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  public Outcome execute(Run run, Plan plan) throws InterruptedException {
    Progress progress = new Progress();
    List<Step> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      boundary.reached(run, i);
      if (stopping) {
        throw new InterruptedException("holdfast is stopping");
      }
      Step step = steps.get(i);
      run.stepStarted(i);
      log.info("step {}", step.render());
      try {
        apply(run, plan, step, progress);
        run.stepEnded(i, "done", null);
      } catch (StepFailedException | EngineException | RouteException e) {
        if (step instanceof Step.Remove) {
          // the group is already consistent and announced; a leftover is only untidy
          run.stepEnded(i, "failed", e.getMessage());
          log.warn("could not remove {}: {}", step.target(), e.getMessage());
          continue;
        }
        run.stepEnded(i, "failed", e.getMessage());
        for (int j = i + 1; j < steps.size(); j++) {
          run.stepEnded(j, "skipped", null);
        }
        Outcome undone = rollback.undo(run, plan, progress, step.render() + ": " + e.getMessage());
        return e instanceof StepFailedException f && f.followUp()
            ? undone.needingFollowUp()
            : undone;
      }
    }
    boundary.reached(run, steps.size());
    java.util.List<String> stale = guard.placedButStale(plan);
    if (!stale.isEmpty()) {
      // never a success with a member in a dead namespace: say so, and heal at once
      return new Outcome(
          RunState.FAILED,
          "after the last step: " + String.join("; ", stale) + "; the group is healed next",
          true);
    }
    return new Outcome(RunState.SUCCEEDED, null);
  }

  private void apply(Run run, Plan plan, Step step, Progress p) throws InterruptedException {
    if (step instanceof Step.Pull s) {
      if (engine.image(s.toId()).isEmpty()) {
        String now = engine.pull(s.image()).id();
        if (!now.equals(s.toId())) {
          throw new StepFailedException(s.image() + " changed again during the run (" + now + ")");
        }
      }
    } else if (step instanceof Step.Create s) {
      p.touch(s.target(), s.role());
      create(run, s);
      p.fresh.put(s.target(), s.freshName());
    } else if (step instanceof Step.Withdraw s) {
      keeper.intend(plan.group(), false, plan.kind().label() + " run " + run.id());
      p.withdrawn.put(s.target(), s.route());
      Optional<ContainerView> router = engine.container(s.target());
      if (router.isPresent()) {
        routes.get(s.route().strategy()).withdraw(router.get(), s.route());
        if (!s.route().drain().isZero()) {
          gate.pause(s.route().drain()); // let traffic already on its way drain to other sites
        }
      }
    } else if (step instanceof Step.Stop s) {
      guard.memberUnchanged(plan, run, s.target());
      p.touch(s.target(), s.role());
      p.stopped.add(s.target());
      engine.container(s.target()).ifPresent(c -> engine.stop(c.id()));
    } else if (step instanceof Step.SetAside s) {
      guard.memberUnchanged(plan, run, s.target());
      ContainerView c =
          engine
              .container(s.target())
              .orElseThrow(() -> new StepFailedException(s.target() + " is gone"));
      if (!run.id().equals(c.labels().get(Labels.CREATED_BY_RUN))) {
        engine.rename(c.id(), s.asideName());
        p.restartPolicies.putIfAbsent(s.target(), c.restartPolicy());
        if (!c.restartPolicy().equals("no")) {
          // an engine restart must not start the old member beside its replacement
          engine.setRestartPolicy(c.id(), "no");
        }
      }
      p.asides.put(s.target(), s.asideName());
    } else if (step instanceof Step.Place s) {
      engine.rename(s.freshName(), s.target());
      p.placed.add(s.target());
    } else if (step instanceof Step.Start s) {
      if (!gate.awaitHolder(plan.holderId(), GatePolicy.DEFAULT_TIMEOUT)) {
        throw new StepFailedException("holder " + plan.holderId() + " is not running");
      }
      guard.holderUnchanged(plan);
      engine.start(s.target());
    } else if (step instanceof Step.Gate s) {
      Optional<String> failure = gate.await(s.target(), plan.holderId(), s.policy());
      if (failure.isPresent()) {
        throw new StepFailedException(failure.get());
      }
      guard.holderUnchanged(plan); // a gate passed in a dead namespace proves nothing
    } else if (step instanceof Step.Announce s) {
      if (!gate.awaitHolder(plan.holderId(), GatePolicy.DEFAULT_TIMEOUT)) {
        throw new StepFailedException("holder " + plan.holderId() + " is not running");
      }
      guard.holderUnchanged(plan); // never announce apps left in the old namespace
      ContainerView router =
          engine
              .container(s.target())
              .orElseThrow(() -> new StepFailedException("router " + s.target() + " is gone"));
      routes.get(s.route().strategy()).announce(router, s.route());
      keeper.intend(
          plan.group(), true, plan.kind().label() + " run " + run.id() + " passed its gates");
      p.withdrawn.remove(s.target());
    } else if (step instanceof Step.Remove s) {
      engine.remove(s.asideName());
    }
  }

  /** Creates the replacement; a replacement this run already created is kept (idempotent). */
  private void create(Run run, Step.Create s) {
    Optional<ContainerView> existing = engine.container(s.freshName());
    if (existing.isPresent()) {
      if (run.id().equals(existing.get().labels().get(Labels.CREATED_BY_RUN))) {
        return;
      }
      throw new StepFailedException(s.freshName() + " exists and was not created by this run");
    }
    ContainerView source =
        engine
            .container(s.target())
            .orElseThrow(() -> new StepFailedException(s.target() + " is gone"));
    Map<String, String> labels = new HashMap<>();
    labels.put(Labels.CREATED_BY_RUN, run.id());
    labels.put(Labels.REPLACES, s.target());
    labels.put(
        Labels.IMAGE_REF,
        s.image().startsWith("sha256:")
            ? source.label(Labels.IMAGE_REF).orElse(source.image())
            : null);
    if (source.labels().containsKey(ComposeLabels.IMAGE)) {
      // Compose v2 recreates a container whose image label differs from the image its service's
      // reference names now; the replacement runs that image, so a later `up` leaves it alone
      engine.image(s.image()).ifPresent(image -> labels.put(ComposeLabels.IMAGE, image.id()));
    }
    engine.create(
        new CreateRequest(source.id(), s.freshName(), s.image(), s.networkMode(), labels));
  }

  static boolean isApp(Progress p, String member) {
    return p.roles.get(member) == Role.APP;
  }
}
