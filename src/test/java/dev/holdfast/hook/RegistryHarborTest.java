package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertIgnored;
import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import org.junit.jupiter.api.Test;

class RegistryHarborTest {

  @Test
  void aDefaultFormatPushNamesTheHostOfItsResourceUrl() {
    assertPushes(
        read("harbor-push"),
        "harbor hub.harbor.com/test-webhook/debian:latest"
            + " sha256:6a9c445de4b6032aa2db2b30f03bc24f9af2f17be05c708e94549943240923a7 -");
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
    assertIgnored(
        read("harbor-push-digest"), "harbor \"tag\" sha256:3682d4f402f8… is a digest, not a tag");
  }

  @Test
  void aPullIsNotAPush() {
    assertIgnored(
        read("harbor-pull"), "harbor event PULL_ARTIFACT for test-webhook/debian: not a push");
  }

  @Test
  void otherCloudEventTypesAreIgnoredByName() {
    String body =
        """
        {"specversion":"1.0","id":"x","type":"harbor.scan.completed","data":{}}""";

    assertThat(readBody(body).ignored())
        .containsExactly("harbor event harbor.scan.completed: not a push");
  }

  @Test
  void harbor1PushImageIsStillAPush() {
    String body =
        """
        {"type":"pushImage","event_data":{"resources":[{"tag":"v1",\
        "resource_url":"harbor.local:8080/lib/app:v1"}],\
        "repository":{"repo_full_name":"lib/app"}}}""";

    assertThat(lines(readBody(body))).containsExactly("harbor harbor.local:8080/lib/app:v1 - -");
  }

  @Test
  void aPushMustNameItsRepositoryAndResources() {
    assertMalformed(() -> readBody("{\"event_data\":{}}"), "harbor delivery has no type");
    assertMalformed(
        () -> readBody("{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{}}"),
        "harbor delivery has a push without repository.repo_full_name");
    assertThatThrownBy(
            () ->
                readBody(
                    "{\"type\":\"PUSH_ARTIFACT\",\"event_data\":"
                        + "{\"repository\":{\"repo_full_name\":\"a/b\"}}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("harbor delivery has a push without a resources array");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.HARBOR, body);
  }
}
