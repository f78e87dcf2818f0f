package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryDockerHubTest {

  @Test
  void everyCallIsAPushOfDockerHubWithoutDigestOrId() {
    HookReading reading = read("dockerhub-push");

    assertThat(lines(reading)).containsExactly("dockerhub docker.io/hfexample/webapp:1.4.2 - -");
    assertThat(reading.ignored()).isEmpty();
  }

  @Test
  void anOfficialImageIsNormalizedUnderLibrary() {
    String body =
        "{\"push_data\": {\"pushed_at\": 1.417566161e+09, \"tag\": \"1.27\"},"
            + " \"repository\": {\"repo_name\": \"nginx\", \"full_description\": null}}";

    assertThat(lines(readBody(body))).containsExactly("dockerhub docker.io/library/nginx:1.27 - -");
  }

  @Test
  void aPushWithoutATagIsIgnored() {
    String body = "{\"push_data\": {\"tag\": null}, \"repository\": {\"repo_name\": \"a/b\"}}";

    assertThat(readBody(body).ignored()).containsExactly("dockerhub push of a/b without a tag");
  }

  @Test
  void pushDataAndRepoNameMustBeThere() {
    assertThatThrownBy(() -> readBody("{\"repository\": {\"repo_name\": \"a/b\"}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("dockerhub delivery has no push_data");
    assertThatThrownBy(() -> readBody("{\"push_data\": {}, \"repository\": {}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("dockerhub delivery has no repository.repo_name");
  }

  private static HookReading readBody(String body) {
    return new RegistryHooks()
        .read(RegistryKind.DOCKERHUB, Headers.empty(), body.getBytes(StandardCharsets.UTF_8));
  }
}
