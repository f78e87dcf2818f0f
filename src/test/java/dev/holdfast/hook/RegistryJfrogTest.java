package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryJfrogTest {

  private static final String DIGEST =
      "sha256:802511442ba82e16bf85d32c9c5808080f8b5373bf502471024d0e64981b1102";

  @Test
  void aPushNeedsTheConfiguredHostAndCarriesTheManifestSha() {
    HookReading reading = read("jfrog-docker-pushed", Map.of(RegistryKind.JFROG, "my.jfrog.io"));

    assertThat(lines(reading))
        .containsExactly("jfrog my.jfrog.io/hello-world:1.4.2 " + DIGEST + " -");
    assertThat(reading.ignored()).isEmpty();
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
    assertThatThrownBy(() -> readBody("{\"data\":{}}"))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("jfrog delivery has no domain or event_type");
  }

  private static HookReading readBody(String body) {
    return new RegistryHooks()
        .read(RegistryKind.JFROG, Headers.empty(), body.getBytes(StandardCharsets.UTF_8));
  }
}
