package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;

/** Compact text of runs and containers, for the detailed logs of the disruption tests. */
final class RunReport {

  private RunReport() {}

  /** One line per step: state, text, error. */
  static String steps(JsonNode run) {
    StringBuilder b = new StringBuilder();
    for (JsonNode s : run.path("steps")) {
      b.append("  ").append(time(s.path("startedAt"))).append('-').append(time(s.path("endedAt")));
      b.append(' ').append(s.path("state").asText()).append(": ");
      b.append(s.path("step").asText().replaceAll("\\s+", " "));
      b.append(s.path("error").isNull() ? "" : " -- " + s.path("error").asText()).append('\n');
    }
    return b + "  error: " + run.path("error").asText();
  }

  private static String time(JsonNode instant) {
    String t = instant.asText("");
    return t.length() >= 23 ? t.substring(11, 23) : "?";
  }

  /** Every container of the session: name, id, image, status. */
  static String containers(SeedGroup env) {
    return env.engine
        .run(
            "ps",
            "-a",
            "--filter",
            "label=" + Docker.SESSION_LABEL + "=" + env.session,
            "--format",
            "{{.Names}}\t{{.ID}}\t{{.Image}}\t{{.Status}}")
        .out();
  }

  /** Every run of the group: id, kind, trigger, state, error. */
  static String runs(HoldfastClient holdfast, String group) {
    StringBuilder b = new StringBuilder();
    for (JsonNode r : holdfast.runs(group)) {
      b.append(
          String.format(
              "%n  %s %s (%s) %s %s",
              r.path("id").asText(),
              r.path("kind").asText(),
              r.path("trigger").asText(),
              r.path("state").asText(),
              r.path("error").asText("")));
    }
    return b.toString();
  }
}
