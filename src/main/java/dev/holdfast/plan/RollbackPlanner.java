package dev.holdfast.plan;

import dev.holdfast.group.AsideNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the undoing of what a run changed. Pure: from the forward plan (or, in a recovery, the
 * group as it is now) and the {@link Progress} read from the run's record.
 *
 * <p>Newest first, each member the run touched gets its old container back under its name (the
 * run's replacement removed). A heal stops there: the old members sit in a namespace that is gone,
 * and starting them serves nothing. An update then starts and gates each app it stopped, and starts
 * the routers it stopped and announces the route only if every app passed: an unhealthy app is
 * never announced.
 */
public final class RollbackPlanner {

  private RollbackPlanner() {}

  /** The rollback of a forward plan that failed with {@code failure}. */
  public static Plan plan(Plan forward, Progress p, String failure) {
    Map<String, RouteSpec> routes = new LinkedHashMap<>();
    for (Step s : forward.steps()) {
      if (s instanceof Step.Withdraw w) {
        routes.put(w.target(), w.route());
      }
    }
    List<Step> steps = undo(forward.kind(), p, p.touched(), routes, forward.restartPolicies());
    return forward.followedBy(Phase.ROLLBACK, failure, steps, notes(forward.kind(), p));
  }

  /**
   * The steps that undo {@code members} (of {@code p.touched()}).
   *
   * @param routes the route control of each router the run withdrew
   * @param policies each member's restart policy as planned (absent ones: the replacement's)
   */
  static List<Step> undo(
      PlanKind kind,
      Progress p,
      List<String> members,
      Map<String, RouteSpec> routes,
      Map<String, String> policies) {
    List<Step> steps = new ArrayList<>();
    List<String> newestFirst = new ArrayList<>(members);
    java.util.Collections.reverse(newestFirst);
    for (String m : newestFirst) {
      String fresh = p.fresh().getOrDefault(m, AsideNames.fresh(m, p.runId()));
      String aside = p.asides().get(m);
      steps.add(
          aside == null
              ? new Step.Discard(m, fresh)
              : new Step.Restore(m, fresh, aside, policies.get(m)));
    }
    if (kind == PlanKind.HEAL) {
      return steps;
    }
    for (String m : members) {
      if (p.isApp(m) && p.stopped().contains(m)) {
        steps.add(new Step.Start(m));
        steps.add(Step.Gate.again(m));
      }
    }
    for (String m : members) {
      if (!p.isApp(m) && p.stopped().contains(m)) {
        steps.add(new Step.Start(m, true));
      }
    }
    for (String r : p.withdrawn()) {
      RouteSpec route = routes.get(r);
      if (route != null) {
        steps.add(new Step.Announce(r, route, true));
      }
    }
    return steps;
  }

  static List<String> notes(PlanKind kind, Progress p) {
    if (kind == PlanKind.HEAL) {
      return List.of("a heal keeps the old members under their names and the route withdrawn");
    }
    if (!p.destructive()) {
      return List.of("nothing was stopped or withdrawn");
    }
    return List.of();
  }
}
