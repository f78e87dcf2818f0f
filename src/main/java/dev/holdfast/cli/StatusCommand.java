package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Shows groups: holder, members, attached or stale. Exit 3 when a group is degraded. */
@Command(name = "status", description = "Show groups, their holder and members.")
public final class StatusCommand extends ClientCommand {

  @Parameters(arity = "0..1", paramLabel = "GROUP", description = "one group (default: all)")
  String group;

  @Override
  int run(ApiClient api) throws IOException {
    ApiClient.Answer a = api.get(group == null ? "/api/v1/groups" : "/api/v1/groups/" + group);
    if (a.status() != 200) {
      return fail(a);
    }
    boolean degraded = false;
    for (JsonNode g : a.body().isArray() ? a.body() : java.util.List.of(a.body())) {
      degraded |= !g.path("state").asText().equals("ok");
      JsonNode h = g.path("holder");
      out()
          .printf(
              "%s  %s  holder %s %s%n",
              g.path("name").asText(),
              g.path("state").asText(),
              h.path("name").asText("-"),
              h.path("id").asText("").substring(0, Math.min(12, h.path("id").asText("").length())));
      JsonNode route = g.path("route");
      if (!route.path("state").asText("none").equals("none")) {
        out()
            .printf(
                "  route   %s%s%n",
                route.path("state").asText(),
                route.path("why").isTextual()
                    ? " since "
                        + route.path("since").asText()
                        + " ("
                        + route.path("why").asText()
                        + ")"
                    : "");
      }
      for (JsonNode reason : g.path("reasons")) {
        out().printf("  why     %s%n", reason.asText());
      }
      for (JsonNode problem : g.path("problems")) {
        degraded = true;
        out().printf("  PROBLEM %s%n", problem.asText());
      }
      for (JsonNode m : g.path("members")) {
        out()
            .printf(
                "  %-7s %-24s %-8s %-10s %s%s%n",
                m.path("role").asText(),
                m.path("name").asText(),
                m.path("state").asText(),
                m.path("health").asText("-"),
                m.path("attached").asBoolean() ? "attached" : "STALE: ",
                m.path("attached").asBoolean() ? "" : m.path("stale").asText());
      }
    }
    return degraded ? ExitCodes.ROLLED_BACK_OR_DEGRADED : ExitCodes.OK;
  }
}
