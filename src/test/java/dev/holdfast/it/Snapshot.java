package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.util.Map;
import java.util.TreeMap;

/** Name to "id state startedAt imageId" of every container of a session: compared for equality. */
final class Snapshot {

  private Snapshot() {}

  static Map<String, String> of(SeedGroup env) {
    Map<String, String> out = new TreeMap<>();
    for (String n : env.engine.names("label=" + Docker.SESSION_LABEL + "=" + env.session)) {
      env.engine.inspect(n).ifPresent(c -> out.put(n, describe(c)));
    }
    return out;
  }

  static String describe(JsonNode c) {
    return c.path("Id").asText()
        + " "
        + Docker.state(c)
        + " "
        + c.path("State").path("StartedAt").asText()
        + " "
        + c.path("Image").asText();
  }
}
