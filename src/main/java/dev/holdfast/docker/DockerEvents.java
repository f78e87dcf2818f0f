package dev.holdfast.docker;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import dev.holdfast.engine.EngineEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one docker-java event into the port's {@link EngineEvent}, in both shapes engines send.
 *
 * <p>API 1.52 (Docker 29) no longer sends the top-level {@code id}, {@code status} and {@code from}
 * that were deprecated in 1.22: only {@code Type}, {@code Action}, {@code Actor{ID, Attributes}},
 * {@code scope}, {@code time} and {@code timeNano} remain. So the container comes from {@code
 * Actor.ID}, the action from {@code Action} and the image from {@code Actor.Attributes.image}; the
 * top-level {@code id} is only a fallback for an actor-less event.
 */
final class DockerEvents {

  private DockerEvents() {}

  /** Empty for an event that names no action or no container: nothing could act on it. */
  static Optional<EngineEvent> read(Event e, Instant receivedAt) {
    EventActor actor = e.getActor();
    String id = actor != null && present(actor.getId()) ? actor.getId() : e.getId();
    if (!present(e.getAction()) || !present(id)) {
      return Optional.empty();
    }
    Map<String, String> attributes =
        actor == null || actor.getAttributes() == null ? Map.of() : actor.getAttributes();
    Long nanos = e.getTimeNano();
    Instant at = nanos == null ? receivedAt : Instant.ofEpochSecond(0, nanos);
    return Optional.of(new EngineEvent(e.getAction(), id, attributes, at));
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
