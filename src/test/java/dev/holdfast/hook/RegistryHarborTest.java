package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryHarborTest {

  @Test
  void aDefaultFormatPushNamesTheHostOfItsResourceUrl() {
    HookReading reading = read("harbor-push");

    assertThat(lines(reading))
        .containsExactly(
            "harbor hub.harbor.com/test-webhook/debian:latest"
                + " sha256:6a9c445de4b6032aa2db2b30f03bc24f9af2f17be05c708e94549943240923a7 -");
    assertThat(reading.ignored()).isEmpty();
  }

  @Test
  void aCloudEventsPushCarriesItsIdAsDeliveryId() {
    assertThat(lines(read("harbor-cloudevents-push")))
        .containsExactly(
            "harbor hub.harbor.com/test-webhook/debian:12"
                + " sha256:cae66afe3057e4eb553d161dd813fb8e53fc3493d0b0804fdc40214a589247de"
                + " 66e9a6cd-02a2-4d31-8a8a-9d8b3f6a0e21");
  }

  @Test
  void aPushByDigestHasTheDigestAsTagAndIsIgnored() {
    HookReading reading = read("harbor-push-digest");

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored())
        .containsExactly("harbor \"tag\" sha256:3682d4f402f8… is a digest, not a tag");
  }

  @Test
  void aPullIsNotAPush() {
    HookReading reading = read("harbor-pull");

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored())
        .containsExactly("harbor event PULL_ARTIFACT for test-webhook/debian: not a push");
  }

  @Test
  void otherCloudEventTypesAreIgnoredByName() {
    String body =
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"type\":\"harbor.scan.completed\",\"data\":{}}";

    assertThat(readBody(body).ignored())
        .containsExactly("harbor event harbor.scan.completed: not a push");
  }

  @Test
  void harbor1PushImageIsStillAPush() {
    String body =
        "{\"type\":\"pushImage\",\"event_data\":{\"resources\":[{\"tag\":\"v1\","
            + "\"resource_url\":\"harbor.local:8080/lib/app:v1\"}],"
            + "\"repository\":{\"repo_full_name\":\"lib/app\"}}}";

    assertThat(lines(readBody(body))).containsExactly("harbor harbor.local:8080/lib/app:v1 - -");
  }

  @Test
  void aPushMustNameItsRepositoryAndResources() {
    assertThatThrownBy(() -> readBody("{\"event_data\":{}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("harbor delivery has no type");
    assertThatThrownBy(() -> readBody("{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("harbor delivery has a push without repository.repo_full_name");
    assertThatThrownBy(
            () ->
                readBody(
                    "{\"type\":\"PUSH_ARTIFACT\",\"event_data\":"
                        + "{\"repository\":{\"repo_full_name\":\"a/b\"}}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("harbor delivery has a push without a resources array");
  }

  private static HookReading readBody(String body) {
    return new RegistryHooks()
        .read(RegistryKind.HARBOR, Headers.empty(), body.getBytes(StandardCharsets.UTF_8));
  }
}
