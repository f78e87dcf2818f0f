package dev.holdfast.hook;

import static dev.holdfast.hook.Fixtures.assertMalformed;
import static dev.holdfast.hook.Fixtures.assertPushes;
import static dev.holdfast.hook.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryGarTest {

  @Test
  void anInsertWithATagIsAPushOfItsFullReferenceWithTheMessageId() {
    assertPushes(
        read("gar-insert-tag"),
        "gar us-east1-docker.pkg.dev/my-project/my-repo/hello-world:1.4.2"
            + " sha256:4785465a871bfeae205dbb4adcbaabbbb944a9f68afaa245bdc86d27bc4dcaef"
            + " 2070443601311540");
  }

  @Test
  void aDigestOnlyUploadIsIgnored() {
    assertThat(read("gar-insert-digest").ignored())
        .containsExactly(
            "gar INSERT of us-east1-docker.pkg.dev/my-project/my-repo/hello-world"
                + "@sha256:91337f539d02… without a tag (a digest-only upload)");
  }

  @Test
  void aDeleteIsIgnored() {
    assertThat(read("gar-delete").ignored())
        .containsExactly(
            "gar DELETE of us-east1-docker.pkg.dev/my-project/my-repo/hello-world:1.4.2:"
                + " not a push");
  }

  @Test
  void messageDataMustBeBase64OfAJsonObject() {
    assertMalformed(
        () -> readData("not base64!"), "gar delivery has a message.data that is not base64");
    String notJson = Base64.getEncoder().encodeToString("INSERT".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readData(notJson))
        .isInstanceOf(MalformedHookException.class)
        .hasMessageStartingWith("message.data is not JSON");
    assertMalformed(
        () -> readBody("{\"message\":{},\"subscription\":\"s\"}"),
        "gar delivery has no message.data");
  }

  private static HookReading readData(String data) {
    return readBody("{\"message\":{\"data\":\"" + data + "\"},\"subscription\":\"s\"}");
  }

  private static HookReading readBody(String body) {
    return Fixtures.readBody(RegistryKind.GAR, body);
  }
}
