package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists past runs, newest first, or shows one run with its steps. */
@Command(
    name = "history",
    description = "List runs, newest first (or show one run with its steps: history --run ID).")
public final class HistoryCommand extends ClientCommand {

  @Parameters(arity = "0..1", paramLabel = "GROUP", description = "one group (default: all)")
  String group;

  @Option(names = "--kind", description = "update or heal")
  String kind;

  @Option(names = "--state", description = "queued, running, succeeded, failed or rolled-back")
  String state;

  @Option(names = "--since", description = "runs created at or after this instant (ISO-8601)")
  String since;

  @Option(names = "--limit", defaultValue = "20", description = "at most this many (1-1000)")
  int limit;

  @Option(names = "--before", description = "runs older than this run id (the next page)")
  String before;

  @Option(names = "--run", description = "show this run with its steps")
  String run;

  @Override
  int run(ApiClient api) throws IOException {
    if (run != null) {
      ApiClient.Answer a = api.get("/api/v1/runs/" + encode(run));
      return a.status() == 200 ? RunPrinter.print(a.body(), out()) : fail(a);
    }
    List<String> query = new ArrayList<>();
    add(query, "group", group);
    add(query, "kind", kind);
    add(query, "state", state);
    add(query, "since", since);
    add(query, "before", before);
    add(query, "limit", String.valueOf(limit));
    ApiClient.Answer a = api.get("/api/v1/runs?" + String.join("&", query));
    if (a.status() != 200) {
      return fail(a);
    }
    String last = null;
    for (JsonNode r : a.body()) {
      out()
          .printf(
              "%s  %-20s %-6s %-11s %s  %s%s%n",
              r.path("id").asText(),
              r.path("group").asText(),
              r.path("kind").asText(),
              r.path("state").asText(),
              r.path("createdAt").asText(),
              r.path("trigger").asText(),
              r.path("error").isNull() ? "" : "  (" + r.path("error").asText() + ")");
      last = r.path("id").asText();
    }
    if (last != null && a.body().size() == limit) {
      out().printf("next page: holdfast history --before %s%n", last);
    }
    return ExitCodes.OK;
  }

  private static void add(List<String> query, String key, String value) {
    if (value != null) {
      query.add(key + "=" + encode(value));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
