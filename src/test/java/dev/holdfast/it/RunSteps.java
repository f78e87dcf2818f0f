package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reading a run's steps as the API shows them: when each began and ended. */
final class RunSteps {

  private RunSteps() {}

  /** The forward step of this verb (pull, admit, withdraw, release, ...). */
  static Optional<JsonNode> step(JsonNode run, String action) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("action").asText().equals(action) && s.path("phase").asText().equals("forward")) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  static Instant started(JsonNode run, String action) {
    return time(run, action, "startedAt");
  }

  static Instant ended(JsonNode run, String action) {
    return time(run, action, "endedAt");
  }

  private static Instant time(JsonNode run, String action, String field) {
    JsonNode s =
        step(run, action)
            .orElseThrow(
                () -> new AssertionError("no step " + action + " in " + run.toPrettyString()));
    if (!s.path(field).isTextual()) {
      throw new AssertionError("step " + action + " has no " + field + ": " + run.toPrettyString());
    }
    return Instant.parse(s.path(field).asText());
  }

  /** How long the run's step of this verb took. */
  static Duration took(JsonNode run, String action) {
    return Duration.between(started(run, action), ended(run, action));
  }

  /**
   * The time the run's site was away from its prefixes by its own doing: from its withdrawal to the
   * end of its release (the slot given back).
   */
  record Away(String group, Instant from, Instant to) {
    boolean overlaps(Away o) {
      return from.isBefore(o.to) && o.from.isBefore(to);
    }
  }

  static Away away(JsonNode run) {
    return new Away(run.path("group").asText(), started(run, "withdraw"), ended(run, "release"));
  }

  /** The newest run of the group that was started by the trigger's kind of sender. */
  static JsonNode newest(List<JsonNode> runs) {
    return runs.stream()
        .max(Comparator.comparing(r -> Instant.parse(r.path("createdAt").asText())))
        .orElseThrow(() -> new AssertionError("no run"));
  }
}
