package dev.holdfast.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A container event from the engine's event stream.
 *
 * @param action e.g. start, die, destroy, rename, health_status: healthy
 * @param containerId the container it concerns
 * @param attributes event attributes (name, image, labels)
 */
public record EngineEvent(
    String action, String containerId, Map<String, String> attributes, Instant time) {

  public EngineEvent {
    attributes = Map.copyOf(attributes);
  }
}
