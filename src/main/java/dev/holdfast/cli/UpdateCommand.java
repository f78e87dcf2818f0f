package dev.holdfast.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Updates a group safely and waits for the run to end. */
@Command(name = "update", description = "Update a group's members to their new images, safely.")
public final class UpdateCommand extends ClientCommand {

  @Parameters(paramLabel = "GROUP")
  String group;

  @Option(names = "--dry-run", description = "print the plan, change nothing")
  boolean dryRun;

  @Option(names = "--member", description = "update only these members (repeatable)")
  List<String> members = new ArrayList<>();

  @Option(names = "--no-wait", description = "return once the run is queued")
  boolean noWait;

  @Option(
      names = "--override-budget",
      description =
          "withdraw the group's prefixes even where their budget says wait (other sites away)")
  boolean overrideBudget;

  @Override
  int run(ApiClient api) throws IOException {
    StringBuilder q =
        new StringBuilder(dryRun ? "?dryRun=true" : noWait ? "?wait=false" : "?wait=true");
    for (String m : members) {
      q.append("&member=")
          .append(java.net.URLEncoder.encode(m, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (overrideBudget) {
      q.append("&overrideBudget=true");
    }
    ApiClient.Answer a = api.post("/api/v1/groups/" + group + "/update" + q);
    if (a.status() >= 300) {
      return fail(a);
    }
    if (dryRun) {
      out().print(a.body().path("plan").asText());
      return ExitCodes.OK;
    }
    return RunPrinter.print(a.body(), out());
  }
}
