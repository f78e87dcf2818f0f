package dev.holdfast.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.trigger.HookReading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real notifications of Debian's docker-registry 2.8.2 for one {@code docker push}, a GET and a
 * HEAD of the manifest and a DELETE by digest, captured by
 * src/test/docker/capture-registry-hooks.sh (which refreshes them; the digest is recorded in the
 * headers file).
 */
class RegistryCapturedTest {

  @Test
  void oneRealPushAmongBlobsPullsAndDeletes() throws IOException {
    List<String> captured =
        Fixtures.names().stream().filter(name -> name.startsWith(Fixtures.CAPTURED)).toList();
    String digest = Fixtures.comment(Fixtures.CAPTURED + ".headers.txt", "digest");
    Headers headers = Fixtures.headers(Fixtures.CAPTURED);
    RegistryHooks hooks = new RegistryHooks();

    List<String> pushes = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String name : captured) {
      assertThat(hooks.detect(headers, Fixtures.body(name))).isEqualTo(RegistryKind.DISTRIBUTION);
      HookReading reading = hooks.read(RegistryKind.DISTRIBUTION, headers, Fixtures.body(name));
      reading.pushes().forEach(push -> pushes.add(Fixtures.line(push)));
      ignored.addAll(reading.ignored());
    }

    assertThat(pushes)
        .containsExactly(
            "distribution 127.0.0.1:5077/hf/capture:v1 " + digest + " " + pushEventId(captured));
    assertThat(ignored)
        .containsExactlyInAnyOrder(
            "push of hf/capture (blob): not an image manifest",
            "push of hf/capture (blob): not an image manifest",
            "pull of hf/capture (blob): not a push",
            "pull of hf/capture (blob): not a push",
            "pull of hf/capture (manifest): not a push",
            "pull of hf/capture (manifest): not a push",
            "delete of hf/capture (manifest " + Nodes.shortDigest(digest) + "): not a push",
            "delete of hf/capture (tag v1): not a push");
  }

  /** The id of the event in the delivery the script named "push-manifest". */
  private static String pushEventId(List<String> captured) throws IOException {
    String name =
        captured.stream().filter(n -> n.endsWith("-push-manifest")).findFirst().orElseThrow();
    return new ObjectMapper()
        .readTree(Fixtures.body(name))
        .path("events")
        .path(0)
        .path("id")
        .asText();
  }
}
