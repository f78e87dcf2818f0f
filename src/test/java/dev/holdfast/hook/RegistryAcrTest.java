package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.lines;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.trigger.HookReading;
import org.junit.jupiter.api.Test;

class RegistryAcrTest {

  @Test
  void aPushIsAPushOfTheRequestHostWithItsEventId() {
    assertPushes(
        read("acr-push"),
        "acr myregistry.azurecr.io/hello-world:v1"
            + " sha256:8f1e9a81de5847ca10435f4ddd431276874bfcb8830188b9cf31c442377d0273"
            + " cb8c3971-9adc-488b-bdd8-43cbb4974ff5");
  }

  @Test
  void pingAndDeleteAreIgnored() {
    assertThat(read("acr-ping").ignored()).containsExactly("acr ping: a test delivery, not a push");
    assertThat(read("acr-delete").ignored())
        .containsExactly("delete of hello-world (manifest): not a push");
  }

  @Test
  void chartPushesAreNotImagePushes() {
    String body =
        """
        {"id":"c1","action":"chart_push","target":{"name":"mychart","version":"1.0.0"}}""";

    assertThat(readBody(body).ignored())
        .containsExactly("acr chart_push of chart mychart:1.0.0: not an image push");
  }

  @Test
  void aPushWithoutAMediaTypeIsStillAManifestBecauseAcrSendsNoBlobEvents() {
    String body =
        """
        {"id":"p1","action":"push","target":{"repository":"app","tag":"v2"},\
        "request":{"host":"myregistry.azurecr.io"}}""";

    assertThat(lines(readBody(body))).containsExactly("acr myregistry.azurecr.io/app:v2 - p1");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.ACR, body);
  }
}
