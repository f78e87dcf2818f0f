package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import org.junit.jupiter.api.Test;

class RegistryDockerHubTest {

  @Test
  void everyCallIsAPushOfDockerHubWithoutDigestOrId() {
    assertPushes(read("dockerhub-push"), "dockerhub docker.io/hfexample/webapp:1.4.2 - -");
  }

  @Test
  void anOfficialImageIsNormalizedUnderLibrary() {
    String body =
        """
        {"push_data": {"pushed_at": 1.417566161e+09, "tag": "1.27"},\
         "repository": {"repo_name": "nginx", "full_description": null}}""";

    assertThat(lines(readBody(body))).containsExactly("dockerhub docker.io/library/nginx:1.27 - -");
  }

  @Test
  void aPushWithoutATagIsIgnored() {
    String body = "{\"push_data\": {\"tag\": null}, \"repository\": {\"repo_name\": \"a/b\"}}";

    assertThat(readBody(body).ignored()).containsExactly("dockerhub push of a/b without a tag");
  }

  @Test
  void pushDataAndRepoNameMustBeThere() {
    assertMalformed(
        () -> readBody("{\"repository\": {\"repo_name\": \"a/b\"}}"),
        "dockerhub delivery has no push_data");
    assertMalformed(
        () -> readBody("{\"push_data\": {}, \"repository\": {}}"),
        "dockerhub delivery has no repository.repo_name");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.DOCKERHUB, body);
  }
}
