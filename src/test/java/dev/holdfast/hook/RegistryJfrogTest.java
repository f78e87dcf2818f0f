package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryJfrogTest {

  private static final String DIGEST =
      "sha256:802511442ba82e16bf85d32c9c5808080f8b5373bf502471024d0e64981b1102";

  @Test
  void aPushNeedsTheConfiguredHostAndCarriesTheManifestSha() {
    assertPushes(
        read("jfrog-docker-pushed", Map.of(RegistryKind.JFROG, "my.jfrog.io")),
        "jfrog my.jfrog.io/hello-world:1.4.2 " + DIGEST + " -");
  }

  @Test
  void theHostMayCarryTheRepositoryPathOfArtifactorysRepoPathAccess() {
    HookReading reading =
        read("jfrog-docker-pushed", Map.of(RegistryKind.JFROG, "my.jfrog.io/docker-local"));

    assertThat(lines(reading))
        .containsExactly("jfrog my.jfrog.io/docker-local/hello-world:1.4.2 " + DIGEST + " -");
  }

  @Test
  void withoutAConfiguredHostAPushIsIgnoredNamingTheSetting() {
    HookReading reading = read("jfrog-docker-pushed");

    assertThat(reading.pushes()).isEmpty();
    assertThat(reading.ignored())
        .containsExactly("jfrog sends no registry host; set HOLDFAST_HOOK_HOST_JFROG");
  }

  @Test
  void deletesAndOtherDomainsAreIgnored() {
    assertThat(read("jfrog-docker-deleted", Map.of(RegistryKind.JFROG, "my.jfrog.io")).ignored())
        .containsExactly("jfrog docker deleted of hello-world:1.4.2: not a push");
    String artifact = "{\"domain\":\"artifact\",\"event_type\":\"deployed\",\"data\":{}}";
    assertThat(readBody(artifact).ignored())
        .containsExactly("jfrog artifact deployed event: not a docker push");
  }

  @Test
  void domainAndEventTypeMustBeThere() {
    assertMalformed(() -> readBody("{\"data\":{}}"), "jfrog delivery has no domain or event_type");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.JFROG, body);
  }
}
