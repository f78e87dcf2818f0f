package dev.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints a run and turns its state into an exit code. */
final class RunPrinter {

  private RunPrinter() {}

  static int print(JsonNode run, PrintWriter out) {
    out.printf(
        "run %s  %s %s  %s%n",
        run.path("id").asText(),
        run.path("kind").asText(),
        run.path("group").asText(),
        run.path("state").asText());
    for (JsonNode s : run.path("steps")) {
      long ms =
          s.path("startedAt").isNull() || s.path("endedAt").isNull()
              ? -1
              : java.time.Duration.between(
                      java.time.Instant.parse(s.path("startedAt").asText()),
                      java.time.Instant.parse(s.path("endedAt").asText()))
                  .toMillis();
      out.printf(
          "  %-8s %6s  %s%s%n",
          s.path("state").asText(),
          ms < 0 ? "" : ms + "ms",
          s.path("step").asText(),
          s.path("error").isNull() ? "" : "  (" + s.path("error").asText() + ")");
    }
    if (!run.path("error").isNull()) {
      out.println("  " + run.path("error").asText());
    }
    if (run.path("waiting").isTextual()) {
      out.println("  waiting: " + run.path("waiting").asText());
    }
    return switch (run.path("state").asText()) {
      case "succeeded" -> ExitCodes.OK;
      case "rolled-back" -> ExitCodes.ROLLED_BACK_OR_DEGRADED;
      case "queued", "running" -> ExitCodes.OK;
      default -> ExitCodes.FAILED;
    };
  }
}
