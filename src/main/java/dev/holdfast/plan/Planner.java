package dev.holdfast.plan;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.AsideNames;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Member;
import dev.holdfast.group.Role;
import dev.holdfast.probe.GatePolicy;
import dev.holdfast.probe.ProbePolicy;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.Work;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the safe order of a run over one group. Pure: it reads a group snapshot and the targets
 * decided before (pulled images, or the images stale members already run) and returns a {@link
 * Plan}; it never calls the engine.
 *
 * <p>The order: pull; create every replacement (not started) in the holder's namespace; withdraw
 * every router; each app in turn (stop, set aside, place the replacement, start, gate); each
 * recreated router (stop, set aside, place, start); announce; remove what was set aside. A stale
 * member that serves nobody and writes no shared storage is set aside running, not stopped first
 * ({@link #servesNobody}). The holder is never a step.
 */
public final class Planner {

  private Planner() {}

  /**
   * @param targets the members to recreate, by name; members not in it are left alone
   * @param runId used to name set-aside containers uniquely
   * @throws PlanException when the group cannot be changed safely
   */
  public static Plan plan(PlanKind kind, Group group, Map<String, Target> targets, String runId) {
    return plan(kind, group, targets, runId, List.of(), false);
  }

  /**
   * A plan that, when the group announces {@code prefixes}, takes their withdrawal slots before the
   * first withdrawal ({@link Step.Admit}) and gives them back once the router exports them again
   * and drained ({@link Step.Release}): the budget of each prefix across its sites.
   *
   * @param override the operator overrides the budget for this run
   */
  public static Plan plan(
      PlanKind kind,
      Group group,
      Map<String, Target> targets,
      String runId,
      List<Prefix> prefixes,
      boolean override) {
    ContainerView holder =
        group
            .holder()
            .orElseThrow(
                () ->
                    new PlanException(
                        "group " + group.name() + " has no holder; start or recreate it first"));
    if (ComposeLabels.temporary(holder)) {
      throw new PlanException(
          "holder "
              + holder.name()
              + " carries Compose's temporary name: Compose is replacing it; holdfast heals the"
              + " group once the new holder has its name and runs");
    }
    if (!holder.running()) {
      throw new PlanException(
          "holder "
              + holder.name()
              + " is "
              + holder.state()
              + "; holdfast never starts holders, start it and holdfast will heal the group");
    }
    for (String name : targets.keySet()) {
      if (name.equals(holder.name())) {
        throw new PlanException(refuseHolder(holder.name(), group.name()));
      }
      if (group.member(name).isEmpty()) {
        throw new PlanException("no member " + name + " in group " + group.name());
      }
    }
    String networkMode = "container:" + holder.id();
    List<Member> apps = selected(group.apps(), targets);
    List<Member> routers = selected(group.routers(), targets);
    List<Step> steps = new ArrayList<>();
    List<String> notes = new ArrayList<>(group.settling());
    for (Member m : group.members()) {
      if (!targets.containsKey(m.name())) {
        notes.add(m.name() + ": " + (kind == PlanKind.UPDATE ? "image unchanged" : "attached"));
      }
    }
    if (apps.isEmpty() && routers.isEmpty()) {
      return plan(kind, group, holder, steps, notes);
    }
    for (Member m : concat(apps, routers)) {
      Target t = targets.get(m.name());
      if (t.changesImage() && !t.local()) {
        steps.add(new Step.Pull(m.name(), t.image(), t.fromId(), t.toId(), t.digest()));
      }
    }
    for (Member m : concat(apps, routers)) {
      Target t = targets.get(m.name());
      steps.add(
          new Step.Create(
              m.name(), m.role(), t.image(), AsideNames.fresh(m.name(), runId), networkMode));
    }
    Optional<Member> site =
        prefixes.isEmpty() ? Optional.empty() : group.routers().stream().findFirst();
    site.ifPresent(
        r ->
            steps.add(
                new Step.Admit(
                    r.name(),
                    prefixes,
                    repair(kind, group) ? Work.REPAIR : Work.PLANNED,
                    override)));
    for (Member r : group.routers()) {
      steps.add(new Step.Withdraw(r.name(), route(r)));
    }
    for (Member m : concat(apps, routers)) {
      boolean startFirst = servesNobody(m);
      if (!startFirst) {
        steps.add(new Step.Stop(m.name(), m.role()));
      }
      steps.add(new Step.SetAside(m.name(), AsideNames.old(m.name(), runId), startFirst));
      steps.add(new Step.Place(m.name(), AsideNames.fresh(m.name(), runId)));
      steps.add(new Step.Start(m.name()));
      if (m.role() == Role.APP) {
        steps.add(new Step.Gate(m.name(), gate(m, targets.get(m.name()))));
      }
    }
    for (Member r : group.routers()) {
      steps.add(new Step.Announce(r.name(), route(r)));
    }
    site.ifPresent(r -> steps.add(new Step.Release(r.name(), prefixes, route(r))));
    for (Member m : concat(apps, routers)) {
      steps.add(new Step.Remove(m.name(), AsideNames.old(m.name(), runId)));
    }
    return plan(kind, group, holder, steps, notes);
  }

  /**
   * Whether the run restores a broken site: a heal, or any run of a group that is not whole (a
   * stale or stopped member, an unhealthy app). Withdrawing such a site takes nothing from its
   * prefixes, so it never waits for their budget.
   */
  static boolean repair(PlanKind kind, Group group) {
    return kind == PlanKind.HEAL || !group.health().equals("ok");
  }

  private static Plan plan(
      PlanKind kind, Group group, ContainerView holder, List<Step> steps, List<String> notes) {
    Map<String, String> ids = new java.util.LinkedHashMap<>();
    Map<String, String> policies = new java.util.LinkedHashMap<>();
    for (Member m : group.members()) {
      ids.put(m.name(), m.container().id());
      policies.put(m.name(), m.container().restartPolicy());
    }
    return new Plan(
        kind,
        group.name(),
        describe(holder),
        holder.id(),
        steps,
        notes,
        holder.startedAt(),
        ids,
        policies,
        Phase.FORWARD,
        "");
  }

  /**
   * A running member left in the holder's old namespace (it joined a holder that is gone or was
   * replaced, or started before the holder restarted) serves nobody; when it writes no volume or
   * host path its replacement may run beside it, so it is not stopped before the replacement
   * starts. One that writes shared storage is always stopped first: two writers could corrupt it.
   */
  static boolean servesNobody(Member m) {
    return !m.attached()
        && m.container().running()
        && m.container().namespaceRef().isPresent()
        && !m.container().writesSharedStorage();
  }

  public static String refuseHolder(String holder, String group) {
    return holder
        + " is the holder of group "
        + group
        + "; holdfast never stops, restarts, recreates or removes a holder";
  }

  /** The route control of a router, validated. */
  public static RouteSpec route(Member router) {
    return RouteSpec.of(router.name(), router.container().labels());
  }

  /**
   * Every label of the group that cannot work, named with its member: shown in the status before
   * any run is tried.
   */
  public static List<String> labelProblems(Group group) {
    List<String> problems = new ArrayList<>();
    for (Member router : group.routers()) {
      try {
        route(router);
      } catch (PlanException e) {
        problems.add(e.getMessage());
      }
    }
    for (Member router : group.routers()) {
      String prefixes = router.container().labels().get(Labels.PREFIXES);
      try {
        Prefix.list(prefixes);
      } catch (IllegalArgumentException e) {
        problems.add(router.name() + ": " + Labels.PREFIXES + ": " + e.getMessage());
      }
    }
    for (Member m : group.members()) {
      try {
        GatePolicy.of(m.container().labels(), false);
        ProbePolicy.of(m.container().labels());
        m.neverPulled();
      } catch (IllegalArgumentException e) {
        problems.add(m.name() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static GatePolicy gate(Member m, Target t) {
    try {
      ProbePolicy.of(m.container().labels()); // watched after the run: refuse what cannot be
      return GatePolicy.of(m.container().labels(), t.hasHealthcheck());
    } catch (IllegalArgumentException e) {
      throw new PlanException(m.name() + ": " + e.getMessage());
    }
  }

  private static List<Member> selected(List<Member> members, Map<String, Target> targets) {
    return members.stream().filter(m -> targets.containsKey(m.name())).toList();
  }

  private static List<Member> concat(List<Member> a, List<Member> b) {
    List<Member> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String describe(ContainerView holder) {
    return holder.name() + " " + holder.shortId();
  }
}
