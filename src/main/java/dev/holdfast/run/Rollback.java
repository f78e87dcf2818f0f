package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.engine.TransientEngineException;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Role;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.probe.GatePolicy;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteException;
import dev.holdfast.route.RouteKeeper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what a failed run changed, newest first: the replacement is removed, the old member gets
 * its name back and is started and gated; the route is announced only if every app passes its gate,
 * so an unhealthy app is never announced.
 */
final class Rollback {

  private static final Logger log = LoggerFactory.getLogger(Rollback.class);

  private final Engine engine;
  private final RouteControls routes;
  private final HealthGate gate;
  private final RouteKeeper keeper;

  Rollback(Engine engine, RouteControls routes, HealthGate gate, RouteKeeper keeper) {
    this.engine = engine;
    this.routes = routes;
    this.gate = gate;
    this.keeper = keeper;
  }

  /** Removes a set-aside old member once its replacement is kept (recovery's forward path). */
  void removeAside(Run run, String aside) {
    if (engine.container(aside).isPresent()) {
      step(run, "recover remove " + aside, () -> engine.remove(aside));
    }
  }

  /**
   * Recovery's forward path, every replacement having passed its gate before the restart: gates the
   * kept apps again, and announces what the run withdrew only if they all pass.
   *
   * @return why the route stays withdrawn, or empty when it was announced
   */
  Optional<String> finish(Run run, Plan plan, Progress p, List<String> keptApps)
      throws InterruptedException {
    awaitHolder(plan);
    List<String> unhealthy = new ArrayList<>();
    for (String app : keptApps) {
      regate(run, plan, app).ifPresent(unhealthy::add);
    }
    if (!unhealthy.isEmpty()) {
      keeper.intend(plan.group(), false, "run " + run.id() + " left an unhealthy app");
      return Optional.of(String.join("; ", unhealthy));
    }
    announce(run, p);
    keeper.intend(plan.group(), true, "run " + run.id() + " finished after a restart");
    return Optional.empty();
  }

  PlanRunner.Outcome undo(Run run, Plan plan, Progress p, String failure)
      throws InterruptedException {
    log.warn("rolling back: {}", failure);
    try {
      List<String> members = new ArrayList<>(p.touched);
      Collections.reverse(members);
      for (String member : members) {
        restore(run, p, member);
      }
      if (plan.kind() == PlanKind.HEAL) {
        // the old members sit in a namespace that is gone: starting them serves nothing
        return new PlanRunner.Outcome(
            p.destructive() ? RunState.ROLLED_BACK : RunState.FAILED,
            failure + "; old members kept under their names, route left withdrawn");
      }
      List<String> unhealthy = new ArrayList<>();
      for (String member : p.touched) {
        if (PlanRunner.isApp(p, member) && p.stopped.contains(member)) {
          awaitHolder(plan);
          step(run, "rollback start " + member, () -> engine.start(member));
          Optional<String> gated = regate(run, plan, member);
          gated.ifPresent(unhealthy::add);
        }
      }
      if (!p.destructive()) {
        return new PlanRunner.Outcome(
            RunState.FAILED, failure + "; nothing was stopped or withdrawn");
      }
      if (!unhealthy.isEmpty()) {
        keeper.intend(plan.group(), false, "run " + run.id() + " rolled back to an unhealthy app");
        return new PlanRunner.Outcome(
            RunState.ROLLED_BACK,
            failure
                + "; rolled back, route left withdrawn because "
                + String.join("; ", unhealthy));
      }
      awaitHolder(plan);
      announce(run, p);
      if (!p.withdrawn.isEmpty() || p.destructive()) {
        keeper.intend(plan.group(), true, "run " + run.id() + " rolled back to a healthy app");
      }
      return new PlanRunner.Outcome(RunState.ROLLED_BACK, failure + "; rolled back and announced");
    } catch (TransientEngineException e) {
      // the engine is away: nothing can be undone now; recovery does it when it is back
      throw new EngineAwayException(failure + "; then the engine went away: " + e.getMessage(), e);
    } catch (EngineException | StepFailedException | RouteException e) {
      return new PlanRunner.Outcome(
          RunState.FAILED, failure + "; rollback failed: " + e.getMessage());
    }
  }

  private void restore(Run run, Progress p, String member) {
    String fresh = p.fresh.get(member);
    // both checks, whatever the progress says: after a crash a step may have half happened
    Optional<ContainerView> current = engine.container(member);
    if (current.isPresent() && run.id().equals(current.get().labels().get(Labels.CREATED_BY_RUN))) {
      step(run, "rollback remove new " + member, () -> engine.remove(current.get().id()));
    }
    if (fresh != null && engine.container(fresh).isPresent()) {
      step(run, "rollback remove " + fresh, () -> engine.remove(fresh));
    }
    String aside = p.asides.get(member);
    Optional<ContainerView> named = engine.container(member);
    if (aside != null && named.isPresent() && engine.container(aside).isPresent()) {
      // another client recreated the member meanwhile: its container is the member now, and the
      // old one the run set aside is what that client replaced
      log.warn("{} was recreated by another client; removing the old one set aside", member);
      step(run, "rollback remove superseded " + aside, () -> engine.remove(aside));
    } else if (aside != null && engine.container(aside).isPresent()) {
      step(run, "rollback rename " + aside + " to " + member, () -> engine.rename(aside, member));
      String policy = p.restartPolicies.get(member);
      if (policy != null && !policy.equals("no")) {
        step(
            run,
            "rollback restart policy " + member,
            () -> engine.setRestartPolicy(member, policy));
      }
    }
  }

  private Optional<String> regate(Run run, Plan plan, String member) throws InterruptedException {
    int i = run.addStep("rollback", member, "rollback gate " + member);
    run.stepStarted(i);
    ContainerView c = engine.container(member).orElse(null);
    if (c == null) {
      run.stepEnded(i, "failed", member + " is gone");
      return Optional.of(member + " is gone");
    }
    boolean imageHealthcheck =
        engine.image(c.imageId()).map(ImageInfo::hasHealthcheck).orElse(false);
    GatePolicy policy;
    try {
      policy = GatePolicy.of(c.labels(), imageHealthcheck);
    } catch (IllegalArgumentException e) {
      policy = GatePolicy.of(Map.of(), imageHealthcheck);
    }
    Optional<String> failure = gate.await(member, plan.holderId(), policy);
    run.stepEnded(i, failure.isPresent() ? "failed" : "done", failure.orElse(null));
    return failure;
  }

  private void awaitHolder(Plan plan) throws InterruptedException {
    if (!gate.awaitHolder(plan.holderId(), GatePolicy.DEFAULT_TIMEOUT)) {
      throw new StepFailedException("holder " + plan.holderId() + " is not running");
    }
  }

  private void announce(Run run, Progress p) {
    for (String member : p.touched) {
      if (p.roles.get(member) == Role.ROUTER && p.stopped.contains(member)) {
        step(run, "rollback start " + member, () -> engine.start(member));
      }
    }
    for (Map.Entry<String, RouteSpec> w : Map.copyOf(p.withdrawn).entrySet()) {
      step(
          run,
          "rollback announce " + w.getKey(),
          () ->
              engine
                  .container(w.getKey())
                  .ifPresent(
                      router ->
                          routes.get(w.getValue().strategy()).announce(router, w.getValue())));
    }
  }

  private static void step(Run run, String text, Runnable action) {
    int i = run.addStep("rollback", text.substring(text.lastIndexOf(' ') + 1), text);
    run.stepStarted(i);
    try {
      action.run();
      run.stepEnded(i, "done", null);
    } catch (RuntimeException e) {
      run.stepEnded(i, "failed", e.getMessage());
      throw e;
    }
  }
}
