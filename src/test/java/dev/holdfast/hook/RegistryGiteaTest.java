package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertIgnored;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryGiteaTest {

  private static final String CREATED =
      "{\"action\":\"created\",\"package\":{\"owner\":{\"login\":\"o\"},\"name\":\"p\","
          + "\"type\":\"container\",\"version\":\"v1\","
          + "\"html_url\":\"https://git.example/o/-/packages/container/p/v1\"}}";

  @Test
  void aCreatedContainerTagIsAPushOfTheHtmlUrlHostLowerCased() {
    assertPushes(
        read("gitea-package-created"),
        "gitea gitea.example:3000/myorg/myapp:1.4.2 - 4f5e6d7c-8b9a-4c1d-9e2f-3a4b5c6d7e8f");
  }

  @Test
  void aVersionThatIsADigestIsIgnored() {
    assertIgnored(
        read("gitea-package-created-digest"),
        "gitea \"tag\" sha256:fea1dd24241f… is a digest, not a tag");
  }

  @Test
  void aDeletedPackageIsNotAPush() {
    assertThat(read("gitea-package-deleted").ignored())
        .containsExactly("gitea package deleted of myorg/myapp:1.4.2: not a push");
  }

  @Test
  void forgejoHeadersAloneAreEnough() {
    Headers forgejo = Headers.of("X-Forgejo-Event", "package", "X-Forgejo-Delivery", "f-1");

    assertThat(lines(readBody(forgejo, CREATED))).containsExactly("gitea git.example/o/p:v1 - f-1");
  }

  @Test
  void otherEventsAndPackageTypesAreIgnored() {
    assertThat(readBody(Headers.of("X-Gitea-Event", "push"), "{}").ignored())
        .containsExactly("gitea push event: not a package event");
    assertThat(
            readBody(Headers.of("X-Gitea-Event", "package"), CREATED.replace("container", "npm"))
                .ignored())
        .containsExactly("gitea package o/p (npm): not a container");
  }

  @Test
  void thePackageMustNameItsOwnerAndName() {
    assertThatThrownBy(
            () ->
                readBody(
                    Headers.of("X-Gitea-Event", "package"),
                    "{\"action\":\"created\",\"package\":{\"name\":\"p\"}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("gitea delivery has a package without owner.login or name");
  }

  private static HookReading readBody(Headers headers, String body) {
    return new RegistryHooks()
        .read(RegistryKind.GITEA, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
