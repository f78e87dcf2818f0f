package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertIgnored;
import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryGitHubTest {

  private static final Headers PACKAGE =
      Headers.of("X-GitHub-Event", "package", "X-GitHub-Delivery", "d-1");

  @Test
  void aPublishedContainerVersionWithATagIsAGhcrPush() {
    assertPushes(
        read("github-package-published"),
        "github ghcr.io/codertocat/hello-world:1.4.2"
            + " sha256:0bc6aa8064747ab218632e036ca76dc52136ba09c313aaa255593d279ee4a381"
            + " 72d3162e-cc78-11e3-81ab-4c9367dc0958");
  }

  @Test
  void anUntaggedVersionIsIgnored() {
    assertIgnored(
        read("github-package-untagged"),
        "github package version of codertocat/hello-world without a tag (an untagged manifest)");
  }

  @Test
  void thePingOfANewWebhookIsIgnored() {
    assertIgnored(read("github-ping"), "github ping: a new webhook's test delivery, not a push");
  }

  @Test
  void namesAreLowerCasedAndMayContainSlashes() {
    String body =
        """
        {"action":"published","package":{"namespace":"NoahvdAa",\
        "name":"Repo/Frontend","package_type":"container","package_version":\
        {"container_metadata":{"tag":{"name":"V1","digest":""}}}}}""";

    assertThat(lines(readBody(PACKAGE, body)))
        .containsExactly("github ghcr.io/noahvdaa/repo/frontend:V1 - d-1");
  }

  @Test
  void otherEventsActionsAndPackageTypesAreIgnored() {
    String npm =
        "{\"action\":\"published\",\"package\":{\"namespace\":\"o\",\"name\":\"p\","
            + "\"package_type\":\"npm\"}}";
    String updated =
        "{\"action\":\"updated\",\"package\":{\"namespace\":\"o\",\"name\":\"p\","
            + "\"package_type\":\"CONTAINER\"}}";

    assertThat(readBody(Headers.of("X-GitHub-Event", "push"), "{}").ignored())
        .containsExactly("github push event: not a package event");
    assertThat(readBody(PACKAGE, npm).ignored())
        .containsExactly("github package o/p (npm): not a container");
    assertThat(readBody(PACKAGE, updated).ignored())
        .containsExactly("github package updated of o/p: not a publish");
  }

  @Test
  void theLegacyRegistryPackageEventReadsTheSameObject() {
    String body =
        """
        {"action":"published","registry_package":{"namespace":"o","name":"p",\
        "package_type":"CONTAINER","package_version":\
        {"container_metadata":{"tag":{"name":"1"}}}}}""";

    assertThat(lines(readBody(Headers.of("X-GitHub-Event", "registry_package"), body)))
        .containsExactly("github ghcr.io/o/p:1 - -");
  }

  @Test
  void withoutTheEventHeaderTheBodyMustShowWhatItIs() {
    assertMalformed(
        () -> readBody(Headers.empty(), "{\"action\":\"published\"}"),
        "github delivery has no X-GitHub-Event header");
    assertMalformed(
        () -> readBody(PACKAGE, "{\"action\":\"published\"}"),
        "github delivery has a package event without its package object");
  }

  private static HookReading readBody(Headers headers, String body) {
    return new RegistryHooks()
        .read(RegistryKind.GITHUB, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
