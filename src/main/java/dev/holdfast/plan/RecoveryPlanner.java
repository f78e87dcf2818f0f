package dev.holdfast.plan;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.Group;
import dev.holdfast.group.Labels;
import dev.holdfast.group.Member;
import dev.holdfast.group.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans the recovery of a run a previous process left in flight (killed, or stopped mid-run). Pure:
 * from the run's typed record and the group as the engine shows it now.
 *
 * <p>Per member: a replacement that passed its gate and holds the member's name is kept and the old
 * container set aside is removed; the others are undone as in a rollback. When every replacement
 * was kept, the run is finished forward: its apps are gated again and the route the run withdrew is
 * announced only if they all pass. A run that changed nothing that serves only loses its unused
 * replacements.
 */
public final class RecoveryPlanner {

  private RecoveryPlanner() {}

  /** How a recovery ends the run. */
  public enum Ending {
    /** Nothing that serves was changed: the unused replacements go, the run failed. */
    NOTHING_SERVED_CHANGED,
    /** Every replacement passed its gate: kept, the run finished. */
    FINISHED_FORWARD,
    /** Some were not: undone as in a rollback. */
    ROLLED_BACK
  }

  /**
   * @param plan the recovery's steps, as text and data
   * @param ending how it ends the run
   * @param progress what the run had changed
   * @param kept the members whose replacement is kept
   */
  public record Recovery(Plan plan, Ending ending, Progress progress, List<String> kept) {}

  /**
   * @param group the group now, empty when it is gone
   * @param cause why the run was left in flight and where, for the record
   */
  public static Recovery plan(
      String runId,
      PlanKind kind,
      String groupName,
      List<StepRecord> steps,
      Optional<Group> group,
      String cause) {
    Function<String, Role> roleOf =
        m -> group.flatMap(g -> g.member(m)).map(Member::role).orElse(Role.APP);
    Progress p = Progress.of(runId, steps, roleOf);
    Optional<ContainerView> holder = group.flatMap(Group::holder);
    Plan base =
        new Plan(
            kind,
            groupName,
            holder.map(h -> h.name() + " " + h.shortId()).orElse("gone"),
            holder.map(ContainerView::id).orElse(""),
            List.of(),
            List.of(),
            Instant.EPOCH,
            Map.of(),
            Map.of(),
            Phase.FORWARD,
            "");
    List<Step> out = new ArrayList<>();
    if (!p.destructive() && p.asides().isEmpty()) {
      for (String m : p.touched()) {
        out.add(new Step.Discard(m, p.fresh().getOrDefault(m, "")));
      }
      return new Recovery(
          base.followedBy(Phase.RECOVERY, cause, out, List.of("nothing that serves was changed")),
          Ending.NOTHING_SERVED_CHANGED,
          p,
          List.of());
    }
    List<String> kept = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String m : p.touched()) {
      (p.passed(m) && inPlace(group, m, runId) ? kept : rest).add(m);
    }
    for (String m : kept) {
      out.add(
          new Step.Remove(
              m, p.asides().getOrDefault(m, dev.holdfast.group.AsideNames.old(m, runId))));
    }
    Map<String, RouteSpec> routes = new LinkedHashMap<>();
    group.ifPresent(
        g ->
            g.routers()
                .forEach(
                    r -> {
                      try {
                        routes.put(r.name(), Planner.route(r));
                      } catch (PlanException e) {
                        // a router whose labels cannot work is not announced
                      }
                    }));
    if (rest.isEmpty()) {
      for (String m : kept) {
        if (p.isApp(m)) {
          out.add(Step.Gate.again(m));
        }
      }
      for (String r : p.withdrawn()) {
        if (routes.containsKey(r)) {
          out.add(new Step.Announce(r, routes.get(r), true));
        }
      }
      return new Recovery(
          base.followedBy(Phase.RECOVERY, cause, out, notes(kept)),
          Ending.FINISHED_FORWARD,
          p,
          kept);
    }
    out.addAll(RollbackPlanner.undo(kind, p, rest, routes, Map.of()));
    List<String> notes = new ArrayList<>(notes(kept));
    notes.addAll(RollbackPlanner.notes(kind, p));
    return new Recovery(
        base.followedBy(Phase.RECOVERY, cause, out, notes), Ending.ROLLED_BACK, p, kept);
  }

  private static List<String> notes(List<String> kept) {
    return kept.stream().map(m -> m + ": its replacement passed its gate and is kept").toList();
  }

  /** The container under the member's name is this run's replacement. */
  private static boolean inPlace(Optional<Group> group, String member, String runId) {
    return group
        .flatMap(g -> g.member(member))
        .map(m -> runId.equals(m.container().labels().get(Labels.CREATED_BY_RUN)))
        .orElse(false);
  }
}
