package dev.holdfast.run;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.group.AsideNames;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Member;
import dev.holdfast.group.Role;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Planner;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or rolls back the runs a previous process left in flight (killed, or stopped mid-run),
 * from their records in the store and the containers' names and labels. Per member: a replacement
 * that passed its gate is kept and the set-aside old one removed; otherwise the old one is restored
 * under its name and gated again. The route is announced only when every app passed.
 */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final Engine engine;
  private final GroupService groups;
  private final Rollback rollback;
  private final RunJournal journal;
  private final Clock clock;

  public Recovery(
      Engine engine,
      GroupService groups,
      PlanRunner runner,
      HealthGate gate,
      RunJournal journal,
      Clock clock) {
    this.engine = engine;
    this.groups = groups;
    this.rollback = runner.rollback();
    this.pauses = gate;
    this.journal = journal;
    this.clock = clock;
  }

  private HealthGate pauses;

  /** Whether the engine answers now. */
  boolean engineAnswers() {
    try {
      engine.ping();
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  void pause(java.time.Duration d) throws InterruptedException {
    pauses.pause(d);
  }

  /** Recovers every unfinished run; returns how many there were. */
  public int recoverAll() throws InterruptedException {
    List<RunView> unfinished = journal.store().unfinished();
    for (RunView v : unfinished) {
      recover(v);
    }
    return unfinished.size();
  }

  void recover(RunView v) throws InterruptedException {
    Run run = Run.resumed(v, clock);
    journal.adopt(run);
    recover(run, v, "holdfast stopped");
  }

  /** Recovers a run of this process that the engine left half done (it is still live). */
  void recover(Run run) throws InterruptedException {
    recover(run, run.view(), "the engine went away");
  }

  private void recover(Run run, RunView v, String cause) throws InterruptedException {
    String where = lastStep(v);
    log.warn("run {} of group {} was left in flight ({}); recovering", v.id(), v.group(), where);
    Optional<Group> group;
    try {
      group = groups.group(v.group());
    } catch (EngineException e) {
      run.end(
          RunState.FAILED,
          "left in flight at " + where + "; engine unreachable: " + e.getMessage());
      return;
    }
    Progress p = progress(run, v, group);
    if (!p.destructive() && p.asides.isEmpty()) {
      for (String member : p.touched) {
        String fresh = p.fresh.get(member);
        if (fresh != null && engine.container(fresh).isPresent()) {
          rollback.removeAside(run, fresh);
        }
      }
      run.end(RunState.FAILED, cause + " at " + where + ", before anything served changed");
      return;
    }
    String holderId = group.flatMap(Group::holder).map(ContainerView::id).orElse("");
    Plan plan =
        new Plan(
            v.kind().equals("heal") ? PlanKind.HEAL : PlanKind.UPDATE,
            v.group(),
            v.group(),
            holderId,
            List.of(),
            List.of());
    Set<String> kept = keptMembers(run, v, p);
    for (String member : kept) {
      rollback.removeAside(run, AsideNames.old(member, run.id()));
      p.touched.remove(member);
      p.asides.remove(member);
      p.stopped.remove(member);
    }
    String reason = cause + " at " + where;
    if (p.touched.isEmpty()) {
      // every replacement passed its gate: finish forward
      List<String> keptApps = kept.stream().filter(m -> roleOf(group, m) == Role.APP).toList();
      try {
        Optional<String> unhealthy = rollback.finish(run, plan, p, keptApps);
        run.end(
            unhealthy.isEmpty() ? RunState.SUCCEEDED : RunState.FAILED,
            reason
                + unhealthy
                    .map(u -> "; kept the replacements, route left withdrawn: " + u)
                    .orElse("; finished after the restart"));
      } catch (EngineException | StepFailedException | RouteException e) {
        run.end(RunState.FAILED, reason + "; finishing failed: " + e.getMessage());
      }
      return;
    }
    PlanRunner.Outcome outcome = rollback.undo(run, plan, p, reason);
    run.end(outcome.state(), outcome.reason());
  }

  /** The members whose replacement is in place and passed its gate (routers: started). */
  private Set<String> keptMembers(Run run, RunView v, Progress p) {
    Set<String> kept = new LinkedHashSet<>();
    for (String member : new ArrayList<>(p.touched)) {
      boolean passed =
          p.roles.get(member) == Role.ROUTER ? done(v, "start", member) : done(v, "gate", member);
      Optional<ContainerView> current = engine.container(member);
      boolean inPlace =
          current.isPresent() && run.id().equals(current.get().labels().get(Labels.CREATED_BY_RUN));
      if (passed && inPlace) {
        kept.add(member);
      }
    }
    return kept;
  }

  /** What the run had changed, from its step records (a step under way counts as maybe done). */
  private Progress progress(Run run, RunView v, Optional<Group> group) {
    Progress p = new Progress();
    for (StepRecord s : v.steps()) {
      // a step under way or failed may have half happened: restoring is idempotent either way
      boolean happened =
          s.state().equals("done") || s.state().equals("running") || s.state().equals("failed");
      if (!happened || s.target() == null) {
        continue;
      }
      String m = s.target();
      Role role = group.flatMap(g -> g.member(m)).map(Member::role).orElse(roleOf(group, m));
      switch (s.action()) {
        case "create" -> {
          p.touch(m, role);
          p.fresh.put(m, AsideNames.fresh(m, run.id()));
        }
        case "withdraw" -> group.flatMap(g -> g.member(m)).ifPresent(r -> withdrawn(p, r));
        case "stop" -> {
          p.touch(m, role);
          p.stopped.add(m);
        }
        case "set-aside" -> {
          p.asides.put(m, AsideNames.old(m, run.id()));
          p.restartPolicies.putIfAbsent(m, policyOfReplacement(m, run.id()));
        }
        case "place" -> p.placed.add(m);
        case "announce" -> {
          if (s.state().equals("done")) {
            p.withdrawn.remove(m);
          }
        }
        default -> {
          // pull, start, gate, remove: nothing to undo
        }
      }
    }
    return p;
  }

  private static Role roleOf(Optional<Group> group, String member) {
    return group
        .flatMap(g -> g.routers().stream().filter(r -> r.name().equals(member)).findFirst())
        .map(r -> Role.ROUTER)
        .orElse(Role.APP);
  }

  private static void withdrawn(Progress p, Member router) {
    try {
      p.withdrawn.put(router.name(), Planner.route(router));
    } catch (PlanException e) {
      log.warn("router {}: {}", router.name(), e.getMessage());
    }
  }

  /** The replacement carries the old member's restart policy (its config was copied). */
  private String policyOfReplacement(String member, String runId) {
    for (String name : List.of(member, AsideNames.fresh(member, runId))) {
      Optional<ContainerView> c = engine.container(name);
      if (c.isPresent() && runId.equals(c.get().labels().get(Labels.CREATED_BY_RUN))) {
        return c.get().restartPolicy();
      }
    }
    return "unless-stopped";
  }

  private static boolean done(RunView v, String action, String target) {
    return v.steps().stream()
        .anyMatch(
            s ->
                action.equals(s.action()) && target.equals(s.target()) && s.state().equals("done"));
  }

  private static String lastStep(RunView v) {
    String last = "the start";
    int n = 0;
    for (StepRecord s : v.steps()) {
      n++;
      if (!s.state().equals("pending")) {
        last = "step " + n + " (" + s.step().trim() + ", " + s.state() + ")";
      }
    }
    return last;
  }
}
