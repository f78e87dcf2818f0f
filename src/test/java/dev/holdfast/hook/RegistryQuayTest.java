package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryQuayTest {

  @Test
  void aRepoPushIsOnePushPerUpdatedTagOfTheDockerUrlHost() {
    HookReading reading = read("quay-push");

    assertThat(lines(reading)).containsExactly("quay quay.io/mynamespace/repository:1.4.2 - -");
    assertThat(reading.ignored()).isEmpty();
  }

  @Test
  void theTestNotificationIsRecognizedAndIgnored() {
    HookReading reading = read("quay-push-test-notification");

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored()).containsExactly("quay test notification");
  }

  @Test
  void aBuildNotificationIsNotAPush() {
    HookReading reading = read("quay-build-success");

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored())
        .containsExactly("quay build event for mynamespace/repository: not a push");
  }

  @Test
  void otherNotificationsWithoutUpdatedTagsAreIgnored() {
    String body =
        "{\"repository\":\"ns/r\",\"docker_url\":\"quay.example:8443/ns/r\",\"tags\":[\"v1\"]}";

    assertThat(readBody(body).ignored())
        .containsExactly("quay event for ns/r without updated_tags: not a push");
  }

  @Test
  void oldQuayTagObjectsAndPortsInTheHostnameAreRead() {
    String body =
        "{\"repository\":\"ns/r\",\"docker_url\":\"quay.example:8443/ns/r\","
            + "\"updated_tags\":{\"v1\":\"abc\",\"sha256:0123\":\"def\"}}";

    HookReading reading = readBody(body);

    assertThat(lines(reading)).containsExactly("quay quay.example:8443/ns/r:v1 - -");
    assertThat(reading.ignored())
        .containsExactly("quay \"tag\" sha256:0123 is a digest, not a tag");
  }

  @Test
  void repositoryAndDockerUrlMustBeThere() {
    assertThatThrownBy(() -> readBody("{\"updated_tags\":[\"v1\"],\"repository\":\"ns/r\"}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("quay delivery has no repository or docker_url");
  }

  private static HookReading readBody(String body) {
    return new RegistryHooks()
        .read(RegistryKind.QUAY, Headers.empty(), body.getBytes(StandardCharsets.UTF_8));
  }
}
