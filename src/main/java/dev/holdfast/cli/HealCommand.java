package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Recreates stale members against their current holder: one group, or every group that needs it.
 */
@Command(name = "heal", description = "Heal a group (or every group with stale members).")
public final class HealCommand extends ClientCommand {

  @Parameters(arity = "0..1", paramLabel = "GROUP")
  String group;

  @Override
  int run(ApiClient api) throws IOException {
    if (group != null) {
      return heal(api, group);
    }
    ApiClient.Answer groups = api.get("/api/v1/groups");
    if (groups.status() != 200) {
      return fail(groups);
    }
    int worst = ExitCodes.OK;
    for (JsonNode g : groups.body()) {
      boolean stale = false;
      for (JsonNode m : g.path("members")) {
        stale |= !m.path("attached").asBoolean();
      }
      if (stale) {
        worst = Math.max(worst, heal(api, g.path("name").asText()));
      }
    }
    return worst;
  }

  private int heal(ApiClient api, String name) throws IOException {
    ApiClient.Answer a = api.post("/api/v1/groups/" + name + "/heal?wait=true");
    if (a.status() >= 300) {
      return fail(a);
    }
    return RunPrinter.print(a.body(), out());
  }
}
