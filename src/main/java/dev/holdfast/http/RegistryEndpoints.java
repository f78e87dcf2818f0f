package dev.holdfast.http;

import dev.holdfast.dispatch.HookService;
import dev.holdfast.hook.Headers;
import dev.holdfast.hook.RegistryHooks;
import dev.holdfast.hook.RegistryKind;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Registry webhooks: {@code POST /hooks/registry} (the sender is detected) and {@code POST
 * /hooks/registry/{kind}}. A delivery is checked against its sender's secret, read into pushes by
 * the hook adapter, and handed to the dispatcher, whose answer (what was understood, which groups
 * are updated) goes back to the registry at once: runs are queued, never awaited.
 */
record RegistryEndpoints(
    RegistryHooks readers, HookService dispatch, Credentials credentials, Metrics metrics) {

  void detected(Context ctx) {
    deliver(ctx, Optional.empty());
  }

  void named(Context ctx) {
    RegistryKind kind;
    try {
      kind = RegistryKind.parse(ctx.pathParam("kind"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, e.getMessage());
    }
    deliver(ctx, Optional.of(kind));
  }

  private void deliver(Context ctx, Optional<RegistryKind> named) {
    byte[] body = ClientLimits.body(ctx);
    Headers headers = Requests.headers(ctx);
    RegistryKind kind = named.orElseGet(() -> readers.detect(headers, body));
    Requests.sender(ctx, kind.id());
    credentials.registry(ctx, kind, headers, body);
    boolean dryRun = Requests.flag(ctx, "dryRun");
    HookService.RegistryAnswer answer =
        dispatch.onRegistry(readers.read(kind, headers, body), dryRun);
    metrics.hook(kind.id(), outcome(answer));
    ctx.json(answer);
  }

  /** For the hooks' metrics: a delivery acted when any push selected a group. */
  private static String outcome(HookService.RegistryAnswer a) {
    if (a.pushes().stream().anyMatch(p -> !p.groups().isEmpty())) {
      return "acted";
    }
    if (a.pushes().stream().anyMatch(p -> p.outcome().equals("duplicate"))) {
      return "duplicate";
    }
    return "ignored";
  }
}
