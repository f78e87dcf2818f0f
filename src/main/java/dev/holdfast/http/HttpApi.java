package dev.holdfast.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.dispatch.Waits;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.group.Group;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Planner;
import dev.holdfast.plan.Step;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RefusedException;
import dev.holdfast.run.Run;
import dev.holdfast.run.RunJournal;
import dev.holdfast.run.RunRequest;
import dev.holdfast.run.UnknownGroupException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API: thin handlers that parse, authorize, call the coordinator and answer JSON. */
public final class HttpApi {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final long WAIT_MINUTES = 30;

  private final GroupService groups;
  private final Coordinator coordinator;
  private final RouteKeeper keeper;
  private final Waits waits;
  private final RunJournal journal;
  private final Engine engine;
  private final Auth auth;
  private final ObjectMapper json;
  private final HookApi hooks;

  public HttpApi(
      GroupService groups,
      Coordinator coordinator,
      RouteKeeper keeper,
      Waits waits,
      RunJournal journal,
      Engine engine,
      String token,
      boolean insecure,
      ObjectMapper json,
      HookApi hooks) {
    this.groups = groups;
    this.coordinator = coordinator;
    this.keeper = keeper;
    this.waits = waits;
    this.journal = journal;
    this.engine = engine;
    this.auth = new Auth(token, insecure);
    this.json = json;
    this.hooks = hooks;
  }

  /** The configured (not started) Javalin app. */
  public Javalin javalin() {
    return Javalin.create(
        config -> {
          config.jsonMapper(new JavalinJackson(json, false));
          config.http.maxRequestSize = 1024 * 1024;
          config.startup.showJavalinBanner = false;
          config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
          config.routes.get("/readyz", this::ready);
          config.routes.get("/api/v1/groups", this::listGroups);
          config.routes.get("/api/v1/groups/{group}", this::getGroup);
          config.routes.post(
              "/api/v1/groups/{group}/update", ctx -> runGroup(ctx, PlanKind.UPDATE));
          config.routes.post("/api/v1/groups/{group}/heal", ctx -> runGroup(ctx, PlanKind.HEAL));
          config.routes.get("/api/v1/runs", this::listRuns);
          config.routes.get("/api/v1/runs/{id}", this::getRun);
          if (hooks != null) {
            hooks.register(config);
          }
          config.routes.exception(
              ApiException.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
          config.routes.exception(
              UnknownGroupException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
          config.routes.exception(
              RefusedException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
          config.routes.exception(PlanException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
          config.routes.exception(
              EngineException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
          config.routes.exception(
              Exception.class,
              (e, ctx) -> {
                log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error");
              });
          config.routes.error(
              404,
              "*",
              ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                  error(ctx, 404, "no such endpoint");
                }
              });
        });
  }

  private volatile java.util.function.Supplier<java.util.Optional<String>> storeProblem =
      java.util.Optional::empty;

  /** Where /readyz and the group status learn that the store cannot be written. */
  public HttpApi storeProblem(java.util.function.Supplier<java.util.Optional<String>> problem) {
    this.storeProblem = problem;
    return this;
  }

  /**
   * Ready when the engine answers. A broken store does not make holdfast unready (status and
   * history are still served) but is reported, and runs are refused.
   */
  private void ready(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    String store = storeProblem.get().map(p -> "refusing runs: " + p).orElse("ok");
    body.put("store", store);
    try {
      engine.ping();
      body.put("engine", "reachable");
      ctx.json(body);
    } catch (EngineException e) {
      body.put("engine", "unreachable");
      body.put("error", e.getMessage());
      ctx.status(503).json(body);
    }
  }

  private void listGroups(Context ctx) {
    auth.check(ctx, false);
    ctx.json(groups.groups().stream().map(this::view).toList());
  }

  private void getGroup(Context ctx) {
    auth.check(ctx, false);
    Group g =
        groups
            .group(name(ctx, "group"))
            .orElseThrow(() -> new UnknownGroupException("no group " + ctx.pathParam("group")));
    ctx.json(view(g));
  }

  private GroupView view(Group g) {
    java.util.List<String> problems = new java.util.ArrayList<>(Planner.labelProblems(g));
    keeper.problem(g.name()).ifPresent(problems::add);
    storeProblem
        .get()
        .ifPresent(p -> problems.add("runs are refused: the store cannot be written (" + p + ")"));
    java.util.List<String> reasons = new java.util.ArrayList<>(g.reasons());
    waits.of(g.name()).ifPresent(w -> reasons.add(w.describe()));
    return GroupView.of(
        g, coordinator.active(g.name()), keeper.changes(g.name()), problems, reasons);
  }

  private void runGroup(Context ctx, PlanKind kind) throws InterruptedException {
    auth.check(ctx, true);
    String group = name(ctx, "group");
    boolean dryRun = flag(ctx, "dryRun");
    boolean wait = flag(ctx, "wait");
    Set<String> members = members(ctx);
    RunRequest request = new RunRequest(group, kind, members, "api");
    if (dryRun) {
      Plan plan = groups.plan(request, "dryrun", false);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("group", group);
      body.put("kind", kind.label());
      body.put("dryRun", true);
      body.put("plan", plan.render());
      body.put("steps", plan.steps().stream().map(Step::render).toList());
      body.put("notes", plan.notes());
      ctx.json(body);
      return;
    }
    groups
        .group(group)
        .ifPresentOrElse(
            g -> {
              GroupService.refuseHolder(g, members);
              groups.checkRouters(g); // bad route labels are refused before a run is queued
            },
            () -> {
              throw new UnknownGroupException("no group " + group);
            });
    Run run = coordinator.submit(request);
    if (wait) {
      run.await(WAIT_MINUTES, TimeUnit.MINUTES);
      ctx.status(200).json(run.view());
    } else {
      ctx.status(202).json(run.view());
    }
  }

  /**
   * History, newest first: filters {@code group}, {@code kind}, {@code state}, {@code since} (an
   * instant); paging by {@code limit} (default 50, at most 1000) and {@code before} (the last id of
   * the previous page).
   */
  private void listRuns(Context ctx) {
    auth.check(ctx, false);
    String group = ctx.queryParam("group");
    if (group != null && !NAME.matcher(group).matches()) {
      throw new ApiException(400, "group: not a valid name");
    }
    String kind = ctx.queryParam("kind");
    if (kind != null && !kind.equals("update") && !kind.equals("heal")) {
      throw new ApiException(400, "kind: update or heal");
    }
    String state = ctx.queryParam("state");
    if (state != null
        && Arrays.stream(dev.holdfast.run.RunState.values())
            .noneMatch(s -> s.label().equals(state))) {
      throw new ApiException(400, "state: queued, running, succeeded, failed or rolled-back");
    }
    java.time.Instant since = null;
    if (ctx.queryParam("since") != null) {
      try {
        since = java.time.Instant.parse(ctx.queryParam("since"));
      } catch (java.time.format.DateTimeParseException e) {
        throw new ApiException(400, "since: an instant such as 2026-11-28T10:00:00Z");
      }
    }
    String before = ctx.queryParam("before");
    if (before != null && !before.matches("[0-9a-f]{1,32}")) {
      throw new ApiException(400, "before: a run id");
    }
    int limit = 50;
    if (ctx.queryParam("limit") != null) {
      try {
        limit = Integer.parseInt(ctx.queryParam("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw new ApiException(400, "limit: 1 to 1000");
      }
    }
    ctx.json(
        journal.list(
            new dev.holdfast.run.RunStore.RunQuery(group, kind, state, since, before, limit)));
  }

  private void getRun(Context ctx) {
    auth.check(ctx, false);
    String id = ctx.pathParam("id");
    if (!id.matches("[0-9a-f]{1,32}")) {
      throw new ApiException(400, "run id: hex digits expected");
    }
    ctx.json(journal.get(id).orElseThrow(() -> new ApiException(404, "no run " + id)));
  }

  private static String name(Context ctx, String param) {
    String value = ctx.pathParam(param);
    if (!NAME.matcher(value).matches()) {
      throw new ApiException(400, param + ": '" + value + "' is not a valid name");
    }
    return value;
  }

  private static Set<String> members(Context ctx) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : ctx.queryParams("member")) {
      for (String m : Arrays.asList(v.split(","))) {
        if (!m.isBlank()) {
          if (!NAME.matcher(m.trim()).matches()) {
            throw new ApiException(400, "member: '" + m + "' is not a valid name");
          }
          out.add(m.trim());
        }
      }
    }
    return out;
  }

  private static boolean flag(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new ApiException(400, param + ": true or false expected, not '" + v + "'");
    };
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(Map.of("error", message, "status", status));
  }
}
