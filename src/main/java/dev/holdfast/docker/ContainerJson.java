package dev.holdfast.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.engine.ContainerView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a {@code GET /containers/{id}/json} answer into a {@link ContainerView}. */
final class ContainerJson {

  private ContainerJson() {}

  static ContainerView view(JsonNode inspect) {
    JsonNode config = inspect.path("Config");
    JsonNode state = inspect.path("State");
    Map<String, String> labels = new LinkedHashMap<>();
    config
        .path("Labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    String name = inspect.path("Name").asText();
    String health = state.path("Health").path("Status").asText("");
    return new ContainerView(
        inspect.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        config.path("Image").asText(),
        inspect.path("Image").asText(),
        labels,
        state.path("Status").asText("unknown"),
        health.isEmpty() || health.equals("none") ? Optional.empty() : Optional.of(health),
        inspect.path("HostConfig").path("NetworkMode").asText(""),
        instant(state.path("StartedAt").asText("")),
        inspect.path("RestartCount").asInt(0),
        instant(state.path("FinishedAt").asText("")),
        restartPolicy(inspect.path("HostConfig").path("RestartPolicy")),
        mounts(inspect.path("Mounts")));
  }

  /** {@code Mounts}: what the engine actually mounted (binds, volumes, tmpfs). */
  static List<ContainerView.Mount> mounts(JsonNode mounts) {
    List<ContainerView.Mount> out = new ArrayList<>();
    for (JsonNode m : mounts) {
      String type = m.path("Type").asText("");
      out.add(
          new ContainerView.Mount(
              type,
              type.equals("volume") ? m.path("Name").asText("") : m.path("Source").asText(""),
              m.path("Destination").asText(""),
              m.path("RW").asBoolean(true)));
    }
    return out;
  }

  /** {@code no}, {@code always}, {@code unless-stopped}, or {@code on-failure:N}. */
  static String restartPolicy(JsonNode policy) {
    String name = policy.path("Name").asText("");
    int retries = policy.path("MaximumRetryCount").asInt(0);
    if (name.isEmpty()) {
      return "no";
    }
    return name.equals("on-failure") && retries > 0 ? name + ":" + retries : name;
  }

  /** Docker writes {@code 0001-01-01T00:00:00Z} for never; that becomes the epoch. */
  static Instant instant(String text) {
    if (text.isEmpty() || text.startsWith("0001-")) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH; // an unreadable time counts as never; staleness then errs to "attached"
    }
  }
}
