package dev.holdfast.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.trigger.MalformedHookException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryDetectTest {

  /** GitHub and Gitea bodies look alike; only their headers tell them apart. */
  private static final Set<RegistryKind> HEADERS_ONLY =
      Set.of(RegistryKind.GITHUB, RegistryKind.GITEA);

  private final RegistryHooks hooks = new RegistryHooks();

  static List<String> fixtures() {
    return Fixtures.names();
  }

  @Test
  void everySenderHasFixtures() {
    assertThat(fixtures().stream().map(Fixtures::kindOf).distinct())
        .containsExactlyInAnyOrder(RegistryKind.values());
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyFixtureIsDetectedWithItsHeaders(String fixture) {
    assertThat(hooks.detect(Fixtures.headers(fixture), Fixtures.body(fixture)))
        .isEqualTo(Fixtures.kindOf(fixture));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyFixtureButGitHubAndGiteaIsDetectedFromItsBodyAlone(String fixture) {
    RegistryKind kind = Fixtures.kindOf(fixture);
    if (HEADERS_ONLY.contains(kind)) {
      assertThatThrownBy(() -> hooks.detect(Headers.empty(), Fixtures.body(fixture)))
          .isInstanceOf(MalformedHookException.class)
          .hasMessage("cannot tell which registry sent this; use /hooks/registry/{kind}");
    } else {
      assertThat(hooks.detect(Headers.empty(), Fixtures.body(fixture))).isEqualTo(kind);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyFixtureReadsAsDetectedIntoAPushOrAReason(String fixture) {
    var reading = hooks.read(Fixtures.headers(fixture), Fixtures.body(fixture));

    assertThat(reading.kind()).isEqualTo(Fixtures.kindOf(fixture).id());
    assertThat(reading.pushes().size() + reading.ignored().size()).isPositive();
  }

  @Test
  void giteaHeadersWinOverTheGitHubHeadersGiteaAlsoSends() {
    Headers gitea = Headers.of("X-GitHub-Event", "package", "X-Gitea-Event", "package");
    Headers forgejo = Headers.of("x-github-event", "package", "x-forgejo-event", "package");

    assertThat(hooks.detect(gitea, new byte[0])).isEqualTo(RegistryKind.GITEA);
    assertThat(hooks.detect(forgejo, new byte[0])).isEqualTo(RegistryKind.GITEA);
    assertThat(hooks.detect(Headers.of("X-GitHub-Event", "ping"), new byte[0]))
        .isEqualTo(RegistryKind.GITHUB);
  }

  @Test
  void contentTypesAndUserAgentsTellTheirSenders() {
    assertThat(detect("Content-Type", "application/vnd.docker.distribution.events.v2+json"))
        .isEqualTo(RegistryKind.DISTRIBUTION);
    assertThat(detect("content-type", "Application/CloudEvents+JSON; charset=utf-8"))
        .isEqualTo(RegistryKind.HARBOR);
    assertThat(detect("User-Agent", "AzureContainerRegistry/1.0")).isEqualTo(RegistryKind.ACR);
    assertThat(detect("X-JFrog-Event-Auth", "x")).isEqualTo(RegistryKind.JFROG);
  }

  @Test
  void anUnknownShapeOrANonJsonBodyIsMalformed() {
    assertThatThrownBy(() -> hooks.detect(Headers.empty(), bytes("{\"hello\": \"world\"}")))
        .isInstanceOf(MalformedHookException.class)
        .hasMessage("cannot tell which registry sent this; use /hooks/registry/{kind}");
    assertThatThrownBy(() -> hooks.detect(Headers.empty(), bytes("payload=%7B%7D")))
        .isInstanceOf(MalformedHookException.class)
        .hasMessageStartingWith("body is not JSON");
  }

  private RegistryKind detect(String header, String value) {
    return hooks.detect(Headers.of(header, value), new byte[0]);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
