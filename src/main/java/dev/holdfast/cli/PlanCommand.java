package dev.holdfast.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints what an update of a group would do, changing nothing. */
@Command(name = "plan", description = "Show the update plan of a group; changes nothing.")
public final class PlanCommand extends ClientCommand {

  @Parameters(paramLabel = "GROUP")
  String group;

  @Override
  int run(ApiClient api) throws IOException {
    ApiClient.Answer a = api.post("/api/v1/groups/" + group + "/update?dryRun=true");
    if (a.status() != 200) {
      return fail(a);
    }
    out().print(a.body().path("plan").asText());
    return ExitCodes.OK;
  }
}
