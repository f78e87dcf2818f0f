package dev.holdfast.run;

import dev.holdfast.engine.EngineException;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs at most one run per group at a time. A request that arrives while its group runs joins the
 * single queued follow-up run (an update absorbs a heal; member lists merge), so a burst of
 * triggers costs at most one extra run. Every run plans from what the engine shows when it starts.
 */
public final class Coordinator {

  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  /** How long a run the engine left half done waits for the engine to answer again. */
  private static final java.time.Duration ENGINE_WAIT = java.time.Duration.ofHours(1);

  private final GroupService groups;
  private final PlanExecutor runner;
  private final Recovery recovery;
  private final RunJournal journal;
  private final StoreHealth store;
  private final java.util.function.Consumer<Run> ended;
  private final Executor executor;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Slot> slots = new HashMap<>();
  private volatile boolean accepting = true;

  /** The active run of a group and the one queued behind it. */
  private static final class Slot {
    Run active;
    RunRequest pendingRequest;
    Run pending;
  }

  /**
   * @param recovery recovers a run the engine left half done once it answers again
   * @param store runs are refused while the store cannot be written: a crash could not be recovered
   * @param ended hears of every run that ends (metrics)
   * @param executor where runs are driven, one task per group at a time
   */
  public Coordinator(
      GroupService groups,
      PlanExecutor runner,
      Recovery recovery,
      RunJournal journal,
      StoreHealth store,
      java.util.function.Consumer<Run> ended,
      Executor executor,
      Clock clock) {
    this.groups = groups;
    this.runner = runner;
    this.recovery = recovery;
    this.journal = journal;
    this.store = store;
    this.ended = ended;
    this.executor = executor;
    this.clock = clock;
  }

  /** Queues a run, or returns the queued run this request was merged into. */
  public Run submit(RunRequest request) {
    if (!accepting) {
      throw new RefusedException("holdfast is shutting down and takes no new runs");
    }
    store
        .problem()
        .ifPresent(
            why -> {
              throw new RefusedException(
                  "runs are refused: the store cannot be written (" + why + ")");
            });
    synchronized (slots) {
      Slot slot = slots.computeIfAbsent(request.group(), g -> new Slot());
      if (slot.active == null) {
        slot.active = newRun(request);
        Run run = slot.active;
        log.info(
            "{} of group {} ({}) queued as run {}: {}",
            request.kind().label(),
            request.group(),
            request.members().isEmpty() ? "all members" : String.join(", ", request.members()),
            run.id(),
            request.trigger());
        executor.execute(() -> drive(request.group(), run));
        return run;
      }
      if (slot.pending == null) {
        slot.pendingRequest = request;
        slot.pending = newRun(request);
        return slot.pending;
      }
      slot.pendingRequest = merge(slot.pendingRequest, request);
      log.info(
          "run {} absorbs a {} trigger for {}",
          slot.pending.id(),
          request.trigger(),
          request.group());
      return slot.pending;
    }
  }

  /** The kind of the run a group is in, if any. */
  public Optional<PlanKind> active(String group) {
    synchronized (slots) {
      Slot slot = slots.get(group);
      return slot == null || slot.active == null
          ? Optional.empty()
          : Optional.of(slot.active.kind());
    }
  }

  /** The runs under way now, one per group at most. */
  public java.util.List<Run> activeRuns() {
    synchronized (slots) {
      return slots.values().stream()
          .map(slot -> slot.active)
          .filter(java.util.Objects::nonNull)
          .toList();
    }
  }

  /** Stops taking runs; the runs under way finish their steps. */
  public void stopAccepting() {
    accepting = false;
  }

  private Run newRun(RunRequest request) {
    Run run = new Run(HexFormat.of().formatHex(random.generateSeed(4)), request, clock);
    journal.add(run);
    return run;
  }

  /** Runs the engine left half done (it went away past the retries) wait for it, then recover. */
  private void recoverWhenTheEngineIsBack(Run run) {
    java.time.Instant deadline = clock.instant().plus(ENGINE_WAIT);
    try {
      while (true) {
        while (!recovery.engineAnswers()) {
          if (runner.stopping() || clock.instant().isAfter(deadline)) {
            return; // left unfinished in the store: the next start recovers it
          }
          recovery.pause(java.time.Duration.ofSeconds(1));
        }
        try {
          recovery.recover(run);
          return;
        } catch (EngineAwayException again) {
          log.warn("the engine went away again while recovering run {}; waiting", run.id());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("recovering run {} failed: {}", run.id(), e.toString());
    }
  }

  /**
   * Queues the run again behind itself (an update again, which also heals; a heal again): its
   * holder restarted under it, so the group is made whole from what the engine shows now.
   */
  private void followUp(Run run) {
    RunRequest r = run.request();
    if (r.trigger().startsWith("follow-up of run ")) {
      log.warn("run {} was itself a follow-up; the healer takes over", run.id());
      return; // a holder that keeps restarting is not chased run after run
    }
    try {
      Run next =
          submit(
              new RunRequest(
                  r.group(),
                  r.kind(),
                  r.members(),
                  "follow-up of run " + run.id(),
                  r.pushed(),
                  r.override()));
      log.info("run {} follows up run {}", next.id(), run.id());
    } catch (RefusedException e) {
      log.warn("no follow-up of run {}: {}", run.id(), e.getMessage());
    }
  }

  static RunRequest merge(RunRequest a, RunRequest b) {
    PlanKind kind =
        a.kind() == PlanKind.UPDATE || b.kind() == PlanKind.UPDATE
            ? PlanKind.UPDATE
            : PlanKind.HEAL;
    Set<String> members = new HashSet<>();
    if (!a.members().isEmpty() && !b.members().isEmpty()) {
      members.addAll(a.members());
      members.addAll(b.members());
    }
    Map<String, String> pushed = new HashMap<>(a.pushed());
    pushed.putAll(b.pushed()); // the later push is the one the registry serves now
    return new RunRequest(
        a.group(),
        kind,
        members,
        a.trigger() + "+" + b.trigger(),
        pushed,
        a.override() || b.override());
  }

  private void drive(String group, Run first) {
    Run run = first;
    while (run != null) {
      execute(run);
      synchronized (slots) {
        Slot slot = slots.get(group);
        if (slot.pending == null) {
          slots.remove(group);
          run = null;
        } else {
          Run next = slot.pending;
          RunRequest merged = slot.pendingRequest;
          slot.active = next;
          slot.pending = null;
          slot.pendingRequest = null;
          next.merged(merged);
          run = next;
        }
      }
    }
  }

  private void execute(Run run) {
    if (runner.stopping()) {
      return; // stays queued in the store; the next start reports it as never begun
    }
    MDC.put("group", run.group());
    MDC.put("run", run.id());
    run.start();
    log.info("{} run started ({})", run.kind().label(), run.request().trigger());
    try {
      Plan plan = groups.plan(run.request(), run.id(), true);
      run.planned(plan);
      if (plan.isEmpty()) {
        run.end(RunState.SUCCEEDED, null);
        log.info("nothing to do");
        return;
      }
      PlanExecutor.Outcome outcome = runner.execute(run, plan);
      run.end(outcome.state(), outcome.reason());
      log.info(
          "run ended {}{}",
          outcome.state().label(),
          outcome.reason() == null ? "" : ": " + outcome.reason());
      if (outcome.followUp()) {
        followUp(run);
      }
    } catch (EngineAwayException e) {
      log.warn("{}; the run is recovered when the engine is back", e.getMessage());
      recoverWhenTheEngineIsBack(run);
    } catch (PlanException | EngineException | UnknownGroupException | RefusedException e) {
      run.end(RunState.FAILED, e.getMessage());
      log.warn("run failed: {}", e.getMessage());
    } catch (InterruptedException e) {
      if (runner.stopping()) {
        // left unfinished on purpose: the store has every step; the next start recovers it
        log.warn("holdfast is stopping; the run is left for the next start to finish or roll back");
      } else {
        run.end(RunState.FAILED, "interrupted");
      }
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      run.end(RunState.FAILED, "unexpected: " + e);
      log.error("run failed unexpectedly", e);
    } finally {
      MDC.remove("group");
      MDC.remove("run");
      try {
        ended.accept(run);
      } catch (RuntimeException e) {
        log.warn("run listener failed: {}", e.toString());
      }
    }
  }
}
