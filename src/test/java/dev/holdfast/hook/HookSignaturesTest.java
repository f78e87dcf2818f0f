package dev.holdfast.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixtures' signature headers were computed with secret {@code s3cret} over the exact file
 * bytes; after editing a fixture recompute with {@code openssl dgst -sha256 -hmac s3cret -r <
 * file.json}.
 */
class HookSignaturesTest {

  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String DOCS_SECRET = "It's a Secret to Everybody";
  private static final String DOCS_HMAC =
      "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void gitHubsDocumentedTestVector() {
    assertThat(HookSignatures.hmacSha256Hex(DOCS_SECRET, HELLO)).isEqualTo(DOCS_HMAC);
    assertThat(verify(RegistryKind.GITHUB, "X-Hub-Signature-256", "sha256=" + DOCS_HMAC)).isTrue();
  }

  @Test
  void gitHubWantsTheSha256PrefixAndTheRightBody() {
    assertThat(verify(RegistryKind.GITHUB, "X-Hub-Signature-256", DOCS_HMAC)).isFalse();
    assertThat(verify(RegistryKind.GITHUB, "X-Hub-Signature", "sha1=" + DOCS_HMAC)).isFalse();
    assertThat(verify(RegistryKind.GITHUB, "X-Hub-Signature-256", "sha256=" + "0".repeat(64)))
        .isFalse();
    assertThat(verify(RegistryKind.GITHUB, "X-Hub-Signature-256", "sha256=not-hex")).isFalse();
    assertThat(
            HookSignatures.verify(
                RegistryKind.GITHUB,
                Headers.of("X-Hub-Signature-256", "sha256=" + DOCS_HMAC),
                "Hello, World?".getBytes(StandardCharsets.UTF_8),
                DOCS_SECRET,
                Optional.empty()))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "github-package-published",
        "github-ping",
        "gitea-package-created",
        "gitea-package-created-digest",
        "jfrog-docker-pushed",
        "jfrog-docker-deleted"
      })
  void theSignedFixturesVerifyWithTheirSecretOnly(String fixture) {
    RegistryKind kind = Fixtures.kindOf(fixture);
    Headers headers = Fixtures.headers(fixture);
    byte[] body = Fixtures.body(fixture);

    assertThat(HookSignatures.verify(kind, headers, body, Fixtures.SECRET, Optional.empty()))
        .isTrue();
    assertThat(HookSignatures.verify(kind, headers, body, "wrong", Optional.empty())).isFalse();
    byte[] tampered = body.clone();
    tampered[tampered.length / 2] ^= 1;
    if (kind != RegistryKind.JFROG || !headers.first("X-JFrog-Event-Auth").get().equals("s3cret")) {
      assertThat(HookSignatures.verify(kind, headers, tampered, Fixtures.SECRET, Optional.empty()))
          .isFalse();
    }
  }

  @Test
  void giteaAndForgejoSignBareHexUnderAnyOfTheirHeaders() {
    String hex = HookSignatures.hmacSha256Hex("k", HELLO);

    assertThat(verify(RegistryKind.GITEA, "X-Gitea-Signature", hex, "k")).isTrue();
    assertThat(verify(RegistryKind.GITEA, "X-Forgejo-Signature", hex.toUpperCase(), "k")).isTrue();
    assertThat(verify(RegistryKind.GITEA, "X-Hub-Signature-256", "sha256=" + hex, "k")).isTrue();
    assertThat(verify(RegistryKind.GITEA, "X-Gitea-Signature", "", "k")).isFalse();
    assertThat(verify(RegistryKind.GITEA, "X-Hub-Signature-256", "sha256=", "k")).isFalse();
  }

  @Test
  void jfrogSendsTheSecretOrItsHmac() {
    String hex = HookSignatures.hmacSha256Hex("k", HELLO);

    assertThat(verify(RegistryKind.JFROG, "X-JFrog-Event-Auth", "k", "k")).isTrue();
    assertThat(verify(RegistryKind.JFROG, "X-JFrog-Event-Auth", hex, "k")).isTrue();
    assertThat(verify(RegistryKind.JFROG, "X-JFrog-Event-Auth", "k2", "k")).isFalse();
    assertThat(verify(RegistryKind.JFROG, "Authorization", "Bearer k", "k")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = RegistryKind.class,
      names = {"DISTRIBUTION", "HARBOR", "ACR", "QUAY", "DOCKERHUB", "GAR"})
  void staticSecretSendersUseAuthorizationOrTheTokenParameter(RegistryKind kind) {
    assertThat(verify(kind, "Authorization", "Bearer k", "k")).isTrue();
    assertThat(verify(kind, "authorization", "bearer k", "k")).isTrue();
    assertThat(verify(kind, "Authorization", "k", "k")).isTrue();
    assertThat(verify(kind, "Authorization", "Basic k", "k")).isFalse();
    assertThat(verify(kind, "Authorization", "Bearer k2", "k")).isFalse();
    assertThat(verify(kind, "Authorization", "Bearer ", "k")).isFalse();
    assertThat(HookSignatures.verify(kind, Headers.empty(), HELLO, "k", Optional.of("k"))).isTrue();
    assertThat(HookSignatures.verify(kind, Headers.empty(), HELLO, "k", Optional.of("kk")))
        .isFalse();
    assertThat(HookSignatures.verify(kind, Headers.empty(), HELLO, "k", Optional.empty()))
        .isFalse();
  }

  @Test
  void signingSendersDoNotAcceptAQueryTokenOrBearer() {
    for (RegistryKind kind :
        new RegistryKind[] {RegistryKind.GITHUB, RegistryKind.GITEA, RegistryKind.JFROG}) {
      assertThat(
              HookSignatures.verify(
                  kind, Headers.of("Authorization", "Bearer k"), HELLO, "k", Optional.of("k")))
          .isFalse();
    }
  }

  @Test
  void missingSignaturesAndEmptySecretsNeverVerify() {
    for (RegistryKind kind : RegistryKind.values()) {
      assertThat(HookSignatures.verify(kind, Headers.empty(), HELLO, "k", Optional.empty()))
          .isFalse();
      assertThat(
              HookSignatures.verify(
                  kind, Headers.of("Authorization", ""), HELLO, "", Optional.of("")))
          .isFalse();
    }
  }

  @Test
  void harborsVerbatimAuthorizationFixtureVerifies() {
    assertThat(
            HookSignatures.verify(
                RegistryKind.HARBOR,
                Fixtures.headers("harbor-push"),
                Fixtures.body("harbor-push"),
                Fixtures.SECRET,
                Optional.empty()))
        .isTrue();
    assertThat(
            HookSignatures.verify(
                RegistryKind.HARBOR,
                Fixtures.headers("harbor-cloudevents-push"),
                Fixtures.body("harbor-cloudevents-push"),
                Fixtures.SECRET,
                Optional.empty()))
        .isTrue();
  }

  private static boolean verify(RegistryKind kind, String header, String value) {
    return verify(kind, header, value, DOCS_SECRET);
  }

  private static boolean verify(RegistryKind kind, String header, String value, String secret) {
    return HookSignatures.verify(kind, Headers.of(header, value), HELLO, secret, Optional.empty());
  }
}
