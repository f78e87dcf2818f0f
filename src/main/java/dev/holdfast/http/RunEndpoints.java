package dev.holdfast.http;

import dev.holdfast.run.RunJournal;
import dev.holdfast.run.RunState;
import dev.holdfast.run.RunStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/** The runs API: {@code GET /api/v1/runs} (history) and {@code GET /api/v1/runs/{id}}. */
record RunEndpoints(RunJournal journal, Credentials credentials) {

  private static final String RUN_ID = "[0-9a-f]{1,32}";

  /**
   * History, newest first: filters {@code group}, {@code kind}, {@code state}, {@code since} (an
   * instant); paging by {@code limit} (default 50, at most 1000) and {@code before} (the last id of
   * the previous page).
   */
  void list(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.READS);
    String group = ctx.queryParam("group");
    if (group != null && !Requests.NAME.matcher(group).matches()) {
      throw new ApiException(400, "group: not a valid name");
    }
    String kind = ctx.queryParam("kind");
    if (kind != null && !kind.equals("update") && !kind.equals("heal")) {
      throw new ApiException(400, "kind: update or heal");
    }
    String state = ctx.queryParam("state");
    if (state != null && Arrays.stream(RunState.values()).noneMatch(s -> s.label().equals(state))) {
      throw new ApiException(400, "state: queued, running, succeeded, failed or rolled-back");
    }
    Instant since = since(ctx);
    String before = ctx.queryParam("before");
    if (before != null && !before.matches(RUN_ID)) {
      throw new ApiException(400, "before: a run id");
    }
    ctx.json(journal.list(new RunStore.RunQuery(group, kind, state, since, before, limit(ctx))));
  }

  void get(Context ctx) {
    credentials.api(ctx, Credentials.Guarded.READS);
    String id = ctx.pathParam("id");
    if (!id.matches(RUN_ID)) {
      throw new ApiException(400, "run id: hex digits expected");
    }
    ctx.json(journal.get(id).orElseThrow(() -> new ApiException(404, "no run " + id)));
  }

  private static Instant since(Context ctx) {
    String since = ctx.queryParam("since");
    if (since == null) {
      return null;
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "since: an instant such as 2026-11-28T10:00:00Z");
    }
  }

  private static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return 50;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 1000) {
      throw new ApiException(400, "limit: 1 to 1000");
    }
    return limit;
  }
}
