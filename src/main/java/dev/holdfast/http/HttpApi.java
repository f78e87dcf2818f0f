package dev.holdfast.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.dispatch.HookService;
import dev.holdfast.dispatch.UpdateSessions;
import dev.holdfast.dispatch.Waits;
import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.plan.PlanException;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.GroupService;
import dev.holdfast.run.RefusedException;
import dev.holdfast.run.RunJournal;
import dev.holdfast.run.SiteReporter;
import dev.holdfast.run.StoreHealth;
import dev.holdfast.run.UnknownGroupException;
import dev.holdfast.trigger.MalformedHookException;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.EndpointNotFound;
import java.time.Clock;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: the one server. Every route holdfast answers is listed here and handed to the
 * endpoints of its concern (groups, runs, registry hooks, Watchtower's calls, Watchtower's API);
 * every failure leaves through the one {@link ErrorBody}. Handlers check {@link Credentials} first,
 * read the request ({@link Requests}), hand it to the run or dispatch layer and answer JSON.
 */
public final class HttpApi {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /** What the groups and runs API reads and starts: the run layer. */
  public record Runs(
      GroupService groups,
      Coordinator coordinator,
      RouteKeeper keeper,
      Waits waits,
      RunJournal journal,
      Engine engine,
      StoreHealth store,
      SiteReporter sites) {}

  /**
   * Where deliveries go: the hook adapter reads registry payloads; the dispatchers turn pushes,
   * Watchtower's notices and its {@code /v1/update} calls into runs.
   */
  public record Triggers(
      RegistryHooks registryPayloads,
      HookService pushes,
      WatchtowerService notices,
      UpdateSessions updates) {}

  private final Javalin app;

  /**
   * @param clock the time Watchtower's API stamps on its answers
   */
  public HttpApi(
      Runs runs,
      Triggers triggers,
      Credentials credentials,
      ClientLimits limits,
      Metrics metrics,
      ObjectMapper json,
      Clock clock) {
    HealthEndpoints health = new HealthEndpoints(runs.engine(), runs.store());
    GroupEndpoints groups = new GroupEndpoints(runs, credentials);
    RunEndpoints history = new RunEndpoints(runs.journal(), credentials);
    PrefixEndpoints prefixes = new PrefixEndpoints(runs, credentials);
    RegistryEndpoints registry =
        new RegistryEndpoints(triggers.registryPayloads(), triggers.pushes(), credentials, metrics);
    WatchtowerEndpoints watchtower =
        new WatchtowerEndpoints(
            triggers.notices(), new PreUpdateVeto(runs.groups()), credentials, metrics);
    WatchtowerApiEndpoints v1 =
        new WatchtowerApiEndpoints(triggers.updates(), credentials, metrics, clock);
    ErrorBody errors = new ErrorBody(clock);
    this.app =
        Javalin.create(
            config -> {
              config.jsonMapper(new JavalinJackson(json, false));
              config.http.maxRequestSize = ClientLimits.MAX_BODY;
              config.startup.showJavalinBanner = false;
              config.jetty.threadPool = threadPool();
              RoutesConfig r = config.routes;
              r.get("/healthz", health::alive);
              r.get("/readyz", health::ready);

              r.get("/api/v1/groups", groups::list);
              r.get("/api/v1/groups/{group}", groups::get);
              r.post("/api/v1/groups/{group}/update", ctx -> groups.run(ctx, PlanKind.UPDATE));
              r.post("/api/v1/groups/{group}/heal", ctx -> groups.run(ctx, PlanKind.HEAL));
              r.get("/api/v1/prefixes", prefixes::list);
              r.post("/api/v1/prefixes/resume", prefixes::resume);
              r.post("/api/v1/sites/forget", prefixes::forget);
              r.get("/api/v1/runs", history::list);
              r.get("/api/v1/runs/{id}", history::get);

              // senders outside the operator's control: a budget per client first
              r.before("/hooks/*", limits::admit);
              r.before("/v1/*", limits::admit);
              r.post("/hooks/registry", registry::detected);
              r.post("/hooks/registry/{kind}", registry::named);
              r.post("/hooks/watchtower", watchtower::notified);
              r.get("/hooks/watchtower/pre-update", watchtower::preUpdate);
              r.post("/hooks/watchtower/pre-update", watchtower::preUpdate);
              r.get("/v1/update", v1::update);
              r.post("/v1/update", v1::update);
              r.get("/v1/metrics", v1::metrics);

              failures(r, errors, metrics);
            });
  }

  /**
   * Sized for holdfast's callers (a few registries, Watchtowers, operators and probes), not Jetty's
   * default of 250: threads above two end after 20 s idle, so a burst of webhooks leaves no stacks
   * behind.
   */
  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(32, 2, 20_000);
    pool.setName("http");
    return pool;
  }

  /** Each failure's status; the body is always {@link ErrorBody}'s. */
  private static void failures(RoutesConfig r, ErrorBody errors, Metrics metrics) {
    r.exception(ApiException.class, (e, ctx) -> errors.write(ctx, e.status, e.getMessage()));
    r.exception(
        MalformedHookException.class,
        (e, ctx) -> {
          metrics.hook(Requests.sender(ctx), "malformed");
          errors.write(ctx, 400, e.getMessage());
        });
    status(r, errors, UnknownGroupException.class, 404);
    status(r, errors, RefusedException.class, 409); // aimed at a holder
    status(r, errors, PlanException.class, 409); // the group cannot be planned
    status(r, errors, EngineException.class, 503);
    r.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          errors.write(ctx, 500, "internal error");
        });
    // Javalin's own refusals (no such endpoint, a body over its limit) answer the same body
    r.exception(
        HttpResponseException.class,
        (e, ctx) ->
            errors.write(
                ctx,
                e.getStatus(),
                e instanceof EndpointNotFound ? "no such endpoint" : e.getMessage()));
  }

  private static <E extends Exception> void status(
      RoutesConfig r, ErrorBody errors, Class<E> failure, int status) {
    r.exception(failure, (e, ctx) -> errors.write(ctx, status, e.getMessage()));
  }

  /** Starts serving; port 0 picks a free one (see {@link #port()}). */
  public HttpApi start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
