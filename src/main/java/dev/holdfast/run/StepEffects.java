package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.CreateRequest;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.group.Labels;
import dev.holdfast.plan.Phase;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.Step;
import dev.holdfast.probe.GatePolicy;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteKeeper;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each step of any plan does to the engine: the one place where a step becomes engine calls.
 * Every effect is idempotent (a step repeated after a retry or a restart does no harm) and checks
 * the engine as it is, whatever the record says: after a crash a step may have half happened.
 */
final class StepEffects {

  private static final Logger log = LoggerFactory.getLogger(StepEffects.class);

  private final Engine engine;
  private final RouteControls routes;
  private final HealthGate gate;
  private final RouteKeeper keeper;
  private final PlanGuard guard;
  private final SiteSlots slots;
  private final java.util.function.BooleanSupplier stopping;

  StepEffects(
      Engine engine,
      RouteControls routes,
      HealthGate gate,
      RouteKeeper keeper,
      SiteSlots slots,
      java.util.function.BooleanSupplier stopping) {
    this.slots = slots;
    this.stopping = stopping;
    this.engine = engine;
    this.routes = routes;
    this.gate = gate;
    this.keeper = keeper;
    this.guard = new PlanGuard(engine);
  }

  PlanGuard guard() {
    return guard;
  }

  /**
   * Applies one step. A forward gate that does not pass, like any step that cannot complete,
   * throws; gates of a rollback or recovery are run by {@link #gateAgain} instead.
   */
  void apply(Run run, Plan plan, Step step) throws InterruptedException {
    boolean forward = plan.phase() == Phase.FORWARD;
    if (step instanceof Step.Pull s) {
      if (engine.image(s.toId()).isEmpty()) {
        String now = engine.pull(s.image()).id();
        if (!now.equals(s.toId())) {
          throw new StepFailedException(s.image() + " changed again during the run (" + now + ")");
        }
      }
    } else if (step instanceof Step.Create s) {
      create(run, s);
    } else if (step instanceof Step.Admit s) {
      slots.admit(run, plan, s, stopping, () -> guard.holderUnchanged(plan));
    } else if (step instanceof Step.Release s) {
      slots.release(run, plan, s);
    } else if (step instanceof Step.Withdraw s) {
      keeper.intend(plan.group(), false, plan.kind().label() + " run " + run.id());
      Optional<ContainerView> router = engine.container(s.target());
      if (router.isPresent()) {
        routes.get(s.route().strategy()).withdraw(router.get(), s.route());
        if (!s.route().drain().isZero()) {
          gate.pause(s.route().drain()); // let traffic already on its way drain to other sites
        }
      }
    } else if (step instanceof Step.Stop s) {
      guard.memberUnchanged(plan, run, s.target());
      engine.container(s.target()).ifPresent(c -> engine.stop(c.id()));
    } else if (step instanceof Step.SetAside s) {
      guard.memberUnchanged(plan, run, s.target());
      ContainerView c =
          engine
              .container(s.target())
              .orElseThrow(() -> new StepFailedException(s.target() + " is gone"));
      if (!run.id().equals(c.labels().get(Labels.CREATED_BY_RUN))) {
        engine.rename(c.id(), s.asideName());
        if (!c.restartPolicy().equals("no")) {
          // an engine restart must not start the old member beside its replacement
          engine.setRestartPolicy(c.id(), "no");
        }
      }
    } else if (step instanceof Step.Place s) {
      engine.rename(s.freshName(), s.target());
    } else if (step instanceof Step.Start s) {
      awaitHolder(plan);
      if (forward) {
        guard.holderUnchanged(plan);
      }
      engine.start(s.target());
    } else if (step instanceof Step.Gate s) {
      Optional<String> failure = gate.await(s.target(), plan.holderId(), s.policy());
      if (failure.isPresent()) {
        throw new StepFailedException(failure.get());
      }
      guard.holderUnchanged(plan); // a gate passed in a dead namespace proves nothing
    } else if (step instanceof Step.Announce s) {
      awaitHolder(plan);
      if (forward) {
        guard.holderUnchanged(plan); // never announce apps left in the old namespace
      }
      Optional<ContainerView> router = engine.container(s.target());
      if (router.isEmpty() && forward) {
        throw new StepFailedException("router " + s.target() + " is gone");
      }
      if (router.isPresent()) {
        routes.get(s.route().strategy()).announce(router.get(), s.route());
      }
      if (forward) {
        keeper.intend(
            plan.group(), true, plan.kind().label() + " run " + run.id() + " passed its gates");
      }
    } else if (step instanceof Step.Remove s) {
      engine.remove(s.asideName());
    } else if (step instanceof Step.Discard s) {
      discard(run, s.target(), s.freshName());
    } else if (step instanceof Step.Restore s) {
      restore(run, s);
    }
  }

  /**
   * A gate of a rollback or recovery: the member as its restored container is labelled and its
   * image declares.
   *
   * @return why it did not pass; empty when it did
   */
  Optional<String> gateAgain(Plan plan, String member) throws InterruptedException {
    ContainerView c = engine.container(member).orElse(null);
    if (c == null) {
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
    return gate.await(member, plan.holderId(), policy);
  }

  private void awaitHolder(Plan plan) throws InterruptedException {
    if (!gate.awaitHolder(plan.holderId(), GatePolicy.DEFAULT_TIMEOUT)) {
      throw new StepFailedException("holder " + plan.holderId() + " is not running");
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

  /** Removes this run's replacement, under the member's name and under its temporary name. */
  private void discard(Run run, String member, String fresh) {
    Optional<ContainerView> current = engine.container(member);
    if (current.isPresent() && run.id().equals(current.get().labels().get(Labels.CREATED_BY_RUN))) {
      engine.remove(current.get().id());
    }
    if (fresh != null && !fresh.isEmpty() && engine.container(fresh).isPresent()) {
      engine.remove(fresh);
    }
  }

  private void restore(Run run, Step.Restore s) {
    String policy = s.restartPolicy() == null ? replacementsPolicy(run, s) : s.restartPolicy();
    discard(run, s.target(), s.freshName());
    if (engine.container(s.asideName()).isEmpty()) {
      return;
    }
    if (engine.container(s.target()).isPresent()) {
      // another client recreated the member meanwhile: its container is the member now, and the
      // old one the run set aside is what that client replaced
      log.warn("{} was recreated by another client; removing the old one set aside", s.target());
      engine.remove(s.asideName());
      return;
    }
    engine.rename(s.asideName(), s.target());
    if (!policy.equals("no")) {
      engine.setRestartPolicy(s.target(), policy);
    }
  }

  /** The replacement carries the old member's restart policy (its configuration was copied). */
  private String replacementsPolicy(Run run, Step.Restore s) {
    for (String name : new String[] {s.target(), s.freshName()}) {
      Optional<ContainerView> c = name == null ? Optional.empty() : engine.container(name);
      if (c.isPresent() && run.id().equals(c.get().labels().get(Labels.CREATED_BY_RUN))) {
        return c.get().restartPolicy();
      }
    }
    return "unless-stopped";
  }
}
