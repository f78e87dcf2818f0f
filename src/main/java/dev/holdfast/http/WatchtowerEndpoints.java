package dev.holdfast.http;

import dev.holdfast.dispatch.WatchtowerService;
import dev.holdfast.hook.WatchtowerHooks;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watchtower's calls into holdfast: its notifications ({@code POST /hooks/watchtower}), read by the
 * hook adapter and handed to the dispatcher, answered at once; and its pre-update lifecycle hook
 * ({@code /hooks/watchtower/pre-update}), which holdfast answers with the {@link PreUpdateVeto}.
 */
record WatchtowerEndpoints(
    WatchtowerService dispatch, PreUpdateVeto veto, Credentials credentials, Metrics metrics) {

  private static final Logger log = LoggerFactory.getLogger(WatchtowerEndpoints.class);

  /** Reads every format both Watchtower versions send; it keeps no state. */
  private static final WatchtowerHooks READERS = new WatchtowerHooks();

  void notified(Context ctx) {
    Requests.sender(ctx, "watchtower");
    byte[] body = ClientLimits.body(ctx);
    credentials.watchtower(ctx);
    WatchtowerService.WatchtowerAnswer answer =
        dispatch.onWatchtower(READERS.read(ctx.contentType(), body), Requests.flag(ctx, "dryRun"));
    metrics.hook(
        "watchtower",
        answer.notices().stream().anyMatch(n -> n.group() != null) ? "acted" : "ignored");
    ctx.json(answer);
  }

  /**
   * Holders and group members are refused with 409, so {@code wget … || exit 75} makes Watchtower
   * skip them; anything else is allowed. Watchtower then reports a refused stale container {@code
   * Failed} with the exit-75 error, and that notification makes holdfast update a member safely (a
   * holder never).
   */
  void preUpdate(Context ctx) {
    Requests.sender(ctx, "watchtower");
    credentials.watchtower(ctx);
    String container = ctx.queryParam("container");
    if (container == null || !Requests.NAME.matcher(container).matches()) {
      throw new ApiException(400, "container: a container name or id expected");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("container", container);
    veto.refusal(container)
        .ifPresentOrElse(
            refused -> {
              log.info("Watchtower asked to update {}: refused ({})", container, refused.role());
              answer.put("allowed", false);
              answer.put("group", refused.group());
              answer.put("reason", refused.reason());
              ctx.status(409);
            },
            () -> {
              answer.put("allowed", true);
              answer.put("reason", "not in a group holdfast manages");
            });
    ctx.json(answer);
  }
}
