package dev.holdfast.http;

import dev.holdfast.group.Group;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.Step;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.Run;
import dev.holdfast.run.RunRequest;
import dev.holdfast.run.UnknownGroupException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The groups API: {@code GET /api/v1/groups[/{group}]} shows them, {@code POST
 * /api/v1/groups/{group}/update|heal} plans (a dry run) or starts a run.
 */
record GroupEndpoints(HttpApi.Runs runs, Credentials credentials) {

  /** How long {@code ?wait=true} waits for a run to end. */
  private static final long WAIT_MINUTES = 30;

  void list(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.READS);
    ctx.json(runs.groups().groups().stream().map(this::view).toList());
  }

  void get(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.READS);
    String name = Requests.name(ctx, "group");
    Group g =
        runs.groups().group(name).orElseThrow(() -> new UnknownGroupException("no group " + name));
    ctx.json(view(g));
  }

  /** A group with what stops holdfast from managing it, and why it is not ok. */
  private GroupView view(Group g) {
    List<String> problems = new ArrayList<>(Planner.labelProblems(g));
    runs.keeper().problem(g.name()).ifPresent(problems::add);
    runs.store()
        .problem()
        .ifPresent(p -> problems.add("runs are refused: the store cannot be written (" + p + ")"));
    List<String> reasons = new ArrayList<>(g.reasons());
    runs.waits().of(g.name()).ifPresent(w -> reasons.add(w.describe()));
    return GroupView.of(
            g,
            runs.coordinator().active(g.name()),
            runs.keeper().changes(g.name()),
            problems,
            reasons)
        .withSite(
            runs.sites().siteOf(g.name()),
            runs.groups().prefixes().known(g.name()).stream()
                .map(Object::toString)
                .sorted()
                .toList());
  }

  /** 202 with the queued run; 200 with the plan for a dry run, or with the ended run on wait. */
  void run(Context ctx, PlanKind kind) throws InterruptedException {
    credentials.api(ctx, Credentials.Guarded.RUNS);
    String group = Requests.name(ctx, "group");
    boolean dryRun = Requests.flag(ctx, "dryRun");
    boolean wait = Requests.flag(ctx, "wait");
    Set<String> members = Requests.members(ctx);
    boolean override = Requests.flag(ctx, "overrideBudget");
    RunRequest request =
        new RunRequest(
            group, kind, members, override ? "api (budget overridden)" : "api", Map.of(), override);
    if (dryRun) {
      ctx.json(planned(request, runs.groups().plan(request, "dryrun", false)));
      return;
    }
    // refused before a run is queued: aimed at the holder, or route labels that cannot work
    Group g =
        runs.groups()
            .group(group)
            .orElseThrow(() -> new UnknownGroupException("no group " + group));
    GroupService.refuseHolder(g, members);
    runs.groups().checkRouters(g);
    Run run = runs.coordinator().submit(request);
    if (wait) {
      run.await(WAIT_MINUTES, TimeUnit.MINUTES);
      ctx.status(200).json(run.view());
    } else {
      ctx.status(202).json(run.view());
    }
  }

  private static Map<String, Object> planned(RunRequest request, Plan plan) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("group", request.group());
    body.put("kind", request.kind().label());
    body.put("dryRun", true);
    body.put("plan", plan.render());
    body.put("steps", plan.steps().stream().map(Step::render).toList());
    body.put("notes", plan.notes());
    return body;
  }
}
