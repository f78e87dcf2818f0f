package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.core.DockerClientConfig;
import dev.holdfast.dispatch.EngineActivity;
import dev.holdfast.engine.EngineEvent;
import dev.holdfast.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Events parsed by docker-java's own object mapper (the one its event stream uses), in the shape
 * engines up to API 1.51 send (recorded from Docker 20.10) and in the API 1.52 shape of Docker 29.
 * Docker 29 is in no Debian suite, so the 1.52 shape is not recorded: it is the recorded event with
 * the fields removed that https://docs.docker.com/reference/api/engine/version-history/ lists for
 * v1.52 ("GET /events no longer includes the deprecated status, id, and from fields"), and a
 * hand-written {@code event-kill-api152.json} (see fixtures/engine/README.md).
 */
class DockerEventsTest {

  private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");
  private final ObjectMapper dockerJava = DockerClientConfig.getDefaultObjectMapper();

  private ObjectNode fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/engine/" + name)) {
      return (ObjectNode) dockerJava.readTree(in);
    }
  }

  private Optional<EngineEvent> read(ObjectNode json) throws IOException {
    return DockerEvents.read(dockerJava.treeToValue(json, Event.class), RECEIVED);
  }

  @Test
  void readsTheRecordedOldShape() throws IOException {
    ObjectNode json = fixture("event-exec-die.json");

    EngineEvent e = read(json).orElseThrow();

    assertThat(e.containerId()).isEqualTo(json.path("id").asText());
    assertThat(e.action()).isEqualTo(json.path("Action").asText());
    assertThat(e.attributes()).containsEntry("name", "hfit-etcd-b799ac-peer");
    assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(0, json.path("timeNano").asLong()));
  }

  @Test
  void theApi152ShapeWithoutIdStatusAndFromReadsTheSame() throws IOException {
    ObjectNode old = fixture("event-exec-die.json");
    ObjectNode api152 = old.deepCopy();
    api152.remove(List.of("id", "status", "from"));

    Optional<EngineEvent> e = read(api152);

    assertThat(e).as("Docker 29's events are not skipped").isPresent();
    assertThat(e).isEqualTo(read(old));
    assertThat(e.get().containerId()).isEqualTo(old.path("Actor").path("ID").asText());
    assertThat(e.get().attributes()).containsEntry("image", old.path("from").asText());
  }

  @Test
  void aHandWrittenApi152KillReachesEngineActivityAsAStop() throws IOException {
    ObjectNode json = fixture("event-kill-api152.json");
    EngineActivity activity = new EngineActivity(new MutableClock(), Duration.ofSeconds(1));
    String id = json.path("Actor").path("ID").asText();

    EngineEvent e = read(json).orElseThrow();
    activity.saw(e);

    assertThat(e.containerId()).isEqualTo(id);
    assertThat(e.action()).isEqualTo("kill");
    assertThat(activity.stopping(id)).as("signal 15 to " + id + " is a stop").isTrue();
  }

  @Test
  void anEventNamingNoContainerIsSkipped() throws IOException {
    ObjectNode json = fixture("event-kill-api152.json");
    ((ObjectNode) json.path("Actor")).remove("ID");

    assertThat(read(json)).isEmpty();
  }

  @Test
  void anEventWithoutActionIsSkipped() throws IOException {
    ObjectNode json = fixture("event-exec-die.json");
    json.remove(List.of("Action", "status"));

    assertThat(read(json)).isEmpty();
  }

  @Test
  void withoutTimeNanoTheReceptionTimeIsUsed() throws IOException {
    ObjectNode json = fixture("event-kill-api152.json");
    json.remove("timeNano");

    assertThat(read(json).orElseThrow().time()).isEqualTo(RECEIVED);
  }
}
