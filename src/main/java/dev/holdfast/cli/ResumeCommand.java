package dev.holdfast.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Lets planned work on a halted prefix go on, once the operator looked at why it halted. */
@Command(
    name = "resume",
    description = "Resume planned work on a prefix halted by a failed or rolled-back run.")
public final class ResumeCommand extends ClientCommand {

  @Parameters(paramLabel = "PREFIX", description = "the prefix, e.g. 192.0.2.53/32")
  String prefix;

  @Override
  int run(ApiClient api) throws IOException {
    ApiClient.Answer a =
        api.post(
            "/api/v1/prefixes/resume?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8));
    if (a.status() != 200) {
      return fail(a);
    }
    out()
        .printf(
            "%s %s%n",
            a.body().path("prefix").asText(),
            a.body().path("resumed").asBoolean()
                ? "resumed: planned work on it goes on"
                : "was not halted");
    return ExitCodes.OK;
  }
}
