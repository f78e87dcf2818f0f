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
    if (group == null) {
      degraded |= prefixes(api);
    }
    return degraded ? ExitCodes.ROLLED_BACK_OR_DEGRADED : ExitCodes.OK;
  }

  /** The prefixes with their sites; true when one is halted or the sites' store has a problem. */
  private boolean prefixes(ApiClient api) throws IOException {
    ApiClient.Answer a = api.get("/api/v1/prefixes");
    if (a.status() != 200) {
      return false; // an older holdfast: groups only
    }
    boolean trouble = false;
    if (a.body().path("problem").isTextual()) {
      trouble = true;
      out().printf("sites   PROBLEM %s%n", a.body().path("problem").asText());
    }
    for (JsonNode p : a.body().path("prefixes")) {
      JsonNode budget = p.path("budget");
      out()
          .printf(
              "prefix %s  %d of %d sites announce  budget maxWithdrawn=%d minAnnounced=%d%n",
              p.path("prefix").asText(),
              p.path("announcing").asInt(),
              p.path("sites").size(),
              budget.path("maxWithdrawn").asInt(),
              budget.path("minAnnounced").asInt());
      for (JsonNode s : p.path("sites")) {
        out()
            .printf(
                "  site    %-32s %-10s%s%n",
                s.path("site").asText(),
                s.path("state").asText(),
                s.path("slot").asBoolean() ? " withdrawal slot" : "");
      }
      if (p.path("halted").isTextual()) {
        trouble = true;
        out()
            .printf(
                "  HALTED  %s (holdfast resume %s)%n",
                p.path("halted").asText(), p.path("prefix").asText());
      }
      for (JsonNode w : p.path("waiting")) {
        out()
            .printf(
                "  waiting run %s of %s: %s%n",
                w.path("run").asText(), w.path("group").asText(), w.path("reason").asText());
      }
    }
    return trouble;
  }
}
