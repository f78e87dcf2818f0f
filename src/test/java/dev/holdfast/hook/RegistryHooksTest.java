package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertMalformed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What all senders share: kinds, headers, broken bodies, configured hosts. */
class RegistryHooksTest {

  private final RegistryHooks hooks = new RegistryHooks();

  @Test
  void kindsParseFromPathSegmentsIgnoringCase() {
    assertThat(RegistryKind.parse("Distribution")).isEqualTo(RegistryKind.DISTRIBUTION);
    assertThat(RegistryKind.parse("GAR")).isEqualTo(RegistryKind.GAR);
    assertThat(RegistryKind.parse("forgejo")).isEqualTo(RegistryKind.GITEA);
    assertThat(RegistryKind.JFROG.id()).isEqualTo("jfrog");
  }

  @Test
  void anUnknownKindNamesTheKnownOnes() {
    assertThatThrownBy(() -> RegistryKind.parse("gitlab"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown registry kind 'gitlab'; one of distribution, dockerhub, harbor, quay,"
                + " github, gitea, acr, jfrog, gar");
  }

  @Test
  void headerNamesAreCaseInsensitiveAndValuesStayOutOfToString() {
    Headers headers = Headers.ofLists(Map.of("Authorization", List.of("Bearer s3cret", "second")));

    assertThat(headers.first("authorization")).contains("Bearer s3cret");
    assertThat(Headers.of(Map.of("x-gitea-event", "package")).first("X-Gitea-Event"))
        .contains("package");
    assertThat(headers.first("X-Missing")).isEmpty();
    assertThat(headers.toString()).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @EnumSource(RegistryKind.class)
  void brokenBodiesAreMalformedWithoutEchoingThem(RegistryKind kind) {
    String secretish = "{\"token\": \"hunter2-" + "x".repeat(200) + "\" oops";

    assertThatThrownBy(() -> hooks.read(kind, Headers.empty(), bytes(secretish)))
        .isInstanceOf(MalformedHookException.class)
        .hasMessageStartingWith("body is not JSON")
        .hasMessageNotContaining("hunter2");
    assertMalformed(() -> hooks.read(kind, Headers.empty(), new byte[0]), "body is empty");
    assertMalformed(
        () -> hooks.read(kind, Headers.empty(), bytes("[1, 2]")), "body is not a JSON object");
    assertThatThrownBy(() -> hooks.read(kind, Headers.empty(), bytes("{} {}")))
        .isInstanceOf(MalformedHookException.class)
        .hasMessageStartingWith("body is not JSON");
  }

  @Test
  void configuredHostsMustBeRegistryHosts() {
    assertThatThrownBy(() -> new RegistryHooks(Map.of(RegistryKind.JFROG, "artifactory")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host for jfrog 'artifactory' is not a registry host");
    assertThatThrownBy(() -> new RegistryHooks(Map.of(RegistryKind.JFROG, "https://my.jfrog.io")))
        .isInstanceOf(IllegalArgumentException.class);
    new RegistryHooks(Map.of(RegistryKind.JFROG, "localhost:8082", RegistryKind.GAR, "gcr.io"));
  }

  @Test
  void controlCharactersInPayloadValuesDoNotBreakTheReasonLine() {
    String body =
        "{\"events\":[{\"action\":\"pull\\n\\u001b[31m\",\"target\":{\"repository\":\"a\"}}]}";

    assertThat(hooks.read(RegistryKind.DISTRIBUTION, Headers.empty(), bytes(body)).ignored())
        .containsExactly("pull??[31m of a (repository): not a push");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
