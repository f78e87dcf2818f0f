package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertIgnored;
import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import org.junit.jupiter.api.Test;

class RegistryQuayTest {

  @Test
  void aRepoPushIsOnePushPerUpdatedTagOfTheDockerUrlHost() {
    assertPushes(read("quay-push"), "quay quay.io/mynamespace/repository:1.4.2 - -");
  }

  @Test
  void theTestNotificationIsRecognizedAndIgnored() {
    assertIgnored(read("quay-push-test-notification"), "quay test notification");
  }

  @Test
  void aBuildNotificationIsNotAPush() {
    assertIgnored(
        read("quay-build-success"), "quay build event for mynamespace/repository: not a push");
  }

  @Test
  void otherNotificationsWithoutUpdatedTagsAreIgnored() {
    String body =
        """
        {"repository":"ns/r","docker_url":"quay.example:8443/ns/r","tags":["v1"]}""";

    assertThat(readBody(body).ignored())
        .containsExactly("quay event for ns/r without updated_tags: not a push");
  }

  @Test
  void oldQuayTagObjectsAndPortsInTheHostnameAreRead() {
    String body =
        """
        {"repository":"ns/r","docker_url":"quay.example:8443/ns/r",\
        "updated_tags":{"v1":"abc","sha256:0123":"def"}}""";

    HookReading reading = readBody(body);

    assertThat(lines(reading)).containsExactly("quay quay.example:8443/ns/r:v1 - -");
    assertThat(reading.ignored())
        .containsExactly("quay \"tag\" sha256:0123 is a digest, not a tag");
  }

  @Test
  void repositoryAndDockerUrlMustBeThere() {
    assertMalformed(
        () -> readBody("{\"updated_tags\":[\"v1\"],\"repository\":\"ns/r\"}"),
        "quay delivery has no repository or docker_url");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.QUAY, body);
  }
}
