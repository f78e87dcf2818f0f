package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config c = Config.from(Map.of());

    assertThat(c.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.listenHost()).isEqualTo("127.0.0.1");
    assertThat(c.listenPort()).isEqualTo(8080);
    assertThat(c.apiToken()).isNull();
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void dockerHostFallsBackToDockerHost() {
    assertThat(Config.from(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).dockerHost())
        .isEqualTo("tcp://127.0.0.1:2375");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_RECONCILE_INTERVAL", "often")))
        .hasMessageStartingWith("HOLDFAST_RECONCILE_INTERVAL:");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_LISTEN", "8080")))
        .hasMessageStartingWith("HOLDFAST_LISTEN:");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_RETRY_ATTEMPTS", "0")))
        .hasMessageStartingWith("HOLDFAST_RETRY_ATTEMPTS:");
  }

  @Test
  void runningWithoutAuthIsOnlyAllowedOnLoopback() {
    Config open =
        Config.from(Map.of("HOLDFAST_INSECURE_NO_AUTH", "true", "HOLDFAST_LISTEN", "0.0.0.0:8080"));
    assertThatThrownBy(open::validate).hasMessageContaining("only allowed on a loopback listener");

    Config.from(Map.of("HOLDFAST_INSECURE_NO_AUTH", "true", "HOLDFAST_LISTEN", "127.0.0.1:9"))
        .validate();
  }

  @Test
  void theReadmeTableListsExactlyTheKeysAndDefaults() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String table =
        readme.substring(
            readme.indexOf("<!-- config-table -->"), readme.indexOf("<!-- /config-table -->"));
    List<String> rows = new ArrayList<>();
    for (String line : table.split("\n")) {
      if (line.startsWith("| `")) {
        rows.add(line);
      }
    }
    List<String> expected = new ArrayList<>();
    for (List<String> key : Config.KEYS) {
      expected.add("| `" + key.get(0) + "` | `" + key.get(1) + "` | " + key.get(2) + " |");
    }

    assertThat(rows).isEqualTo(expected);
  }
}
