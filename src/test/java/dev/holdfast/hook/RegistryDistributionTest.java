package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertIgnored;
import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryDistributionTest {

  private static final String MYAPP_142 =
      "sha256:12602e93ed20c06e6f1125a2a71455c8c322205fa8471f22a41ecfafe87efa3f";

  @Test
  void aTaggedManifestPushIsAPushOfThePushersHost() {
    HookReading reading = read("distribution-push");

    assertThat(reading.kind()).isEqualTo("distribution");
    assertThat(lines(reading))
        .containsExactly(
            "distribution 127.0.0.1:5055/myorg/myapp:1.4.2 "
                + MYAPP_142
                + " 3f0d9e1c-5a7b-4c2e-8d61-0b9a7e4f2c10");
    assertThat(reading.ignored()).isEmpty();
  }

  @Test
  void theIndexOfAMultiArchPushIsThePushWithTheIndexDigest() {
    assertThat(lines(read("distribution-push-index")))
        .containsExactly(
            "distribution 127.0.0.1:5055/myorg/myapp:2.0.0"
                + " sha256:915550e993cda8453cb4c6c1bbb80e3b707ff5904debc9c7d3d6967667d32da4"
                + " 3f8a5c1d-6b7e-4f90-8b12-1d2e3f4a5b06");
  }

  @Test
  void version3FieldOrderOffsetTimestampsAndAnnotationsReadTheSame() {
    assertThat(lines(read("distribution-v3-push")))
        .containsExactly(
            "distribution 127.0.0.1:5055/myorg/myapp:1.4.2 "
                + MYAPP_142
                + " 9f401273-2134-4f56-8178-7d8e9f0a1b12");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "distribution-push-blob | push of myorg/myapp (blob): not an image manifest",
        "distribution-pull | pull of myorg/myapp (manifest): not a push",
        "distribution-pull-head | pull of myorg/myapp (manifest): not a push",
        "distribution-mount | mount of myorg/other (blob): not a push",
        "distribution-push-untagged | push of myorg/myapp without a tag"
            + " (a platform manifest of a multi-arch image)",
        "distribution-delete-manifest | delete of myorg/myapp (manifest sha256:12602e93ed20…):"
            + " not a push",
        "distribution-delete-tag | delete of myorg/myapp (tag 1.4.2): not a push",
      })
  void everythingButATaggedManifestPushIsIgnoredWithItsReason(String fixture, String reason) {
    assertIgnored(read(fixture), reason);
  }

  @Test
  void anEnvelopeWithSeveralEventsYieldsEachPushAndEachReasonInOrder() {
    HookReading reading = read("distribution-several");

    String digest = "sha256:53760483238ac3ceed3b8e043fe2b501173197c9c40934f2d395d6618632a7c2";
    assertThat(lines(reading))
        .containsExactly(
            "distribution 127.0.0.1:5055/myorg/myapp:1.5.0 "
                + digest
                + " 7d2e9051-0f12-4d34-8f56-5b6c7d8e9f10",
            "distribution 127.0.0.1:5055/myorg/myapp:latest "
                + digest
                + " 8e3f0162-1023-4e45-9067-6c7d8e9f0a11");
    assertThat(reading.ignored())
        .containsExactly("push of myorg/myapp (blob): not an image manifest");
  }

  @Test
  void aConfiguredHostReplacesThePushersHost() {
    HookReading reading =
        read("distribution-push", Map.of(RegistryKind.DISTRIBUTION, "registry.example:5000"));

    assertThat(reading.pushes()).hasSize(1);
    assertThat(reading.pushes().get(0).image().toString())
        .isEqualTo("registry.example:5000/myorg/myapp:1.4.2");
  }

  @Test
  void withoutRequestHostTheTargetUrlNamesTheHost() {
    String body =
        """
        {"events": [{"id": "e1", "action": "push", "target": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": null,
          "repository": "team/app", "tag": "v2",
          "url": "https://Registry.Example:8443/v2/team/app/manifests/v2"}}]}
        """;

    assertThat(lines(readBody(body)))
        .containsExactly("distribution registry.example:8443/team/app:v2 - e1");
  }

  @Test
  void aHostImageNameWouldReadAsAPathIsNotTakenForDockerHub() {
    String body =
        """
        {"events": [{"id": "e1", "action": "push", "request": {"host": "registry"},
          "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
          "repository": "team/app", "tag": "v2"}}]}
        """;

    HookReading reading = readBody(body);

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored())
        .containsExactly(
            "distribution registry host \"registry\" would read as a Docker Hub path;"
                + " set HOLDFAST_HOOK_HOST_DISTRIBUTION");
  }

  @Test
  void aPushWithNoHostAtAllIsIgnoredNamingTheSetting() {
    String body =
        """
        {"events": [{"action": "push", "target": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "repository": "team/app", "tag": "v2"}}]}
        """;

    assertThat(readBody(body).ignored())
        .containsExactly(
            "distribution sends no registry host; set HOLDFAST_HOOK_HOST_DISTRIBUTION");
  }

  @Test
  void aRepositoryThatIsNoImageNameIsIgnoredNotAnError() {
    String body =
        """
        {"events": [{"action": "push", "request": {"host": "reg.test"}, "target": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "repository": "team//app", "tag": "v2"}}]}
        """;

    assertThat(readBody(body).ignored())
        .containsExactly(
            "distribution push is not an image name:"
                + " 'reg.test/team//app:v2' has a malformed repository path");
  }

  @Test
  void anEmptyEnvelopeIsWellFormedAndSaysSo() {
    assertIgnored(readBody("{\"events\": []}"), "distribution delivery carries no event");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                            | distribution delivery has no events array",
        "{\"events\": {}}                              | distribution delivery has no events array",
        "{\"events\": [1]}                             | distribution delivery has an event that is"
            + " not an object",
        "{\"events\": [{\"target\": {}}]}              | distribution delivery has an event without"
            + " an action",
        "{\"events\": [{\"action\": \"push\"}]}        | distribution delivery has a push event"
            + " without target.repository",
      })
  void whatDistributionAlwaysSendsMustBeThere(String body, String message) {
    assertMalformed(() -> readBody(body), message);
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.DISTRIBUTION, body);
  }
}
