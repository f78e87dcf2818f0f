package dev.holdfast.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.hook.RegistryKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config c = Config.from(Map.of());

    assertThat(c.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.listenHost()).isEqualTo("127.0.0.1");
    assertThat(c.listenPort()).isEqualTo(8080);
    assertThat(c.apiToken()).isEmpty();
    assertThat(c.hookSecret()).isEmpty();
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retryAttempts()).isEqualTo(9);
    assertThat(c.hookRate()).isEqualTo(200);
    assertThat(c.dataDir()).isEqualTo(Path.of("./holdfast-data"));
  }

  @Test
  void everyDefaultReadsAsItsSettingWould() {
    // the README shows the defaults as text: each one must parse to the value holdfast uses
    Map<String, String> defaults = new java.util.HashMap<>();
    for (Setting<?> s : Settings.ALL) {
      s.fallback().ifPresent(text -> defaults.put(s.key(), text));
    }

    assertThat(Config.from(defaults)).isEqualTo(Config.from(Map.of()));
  }

  @Test
  void dockerHostFallsBackToDockerHost() {
    assertThat(Config.from(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).dockerHost())
        .isEqualTo("tcp://127.0.0.1:2375");
    assertThat(
            Config.from(
                    Map.of(
                        "DOCKER_HOST", "tcp://127.0.0.1:2375",
                        "HOLDFAST_DOCKER_HOST", "unix:///run/other.sock"))
                .dockerHost())
        .isEqualTo("unix:///run/other.sock");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_RECONCILE_INTERVAL", "often")))
        .hasMessageStartingWith("HOLDFAST_RECONCILE_INTERVAL:");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_LISTEN", "8080")))
        .hasMessageStartingWith("HOLDFAST_LISTEN:");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_RETRY_ATTEMPTS", "0")))
        .hasMessageStartingWith("HOLDFAST_RETRY_ATTEMPTS:");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_INSECURE_NO_AUTH", "maybe")))
        .hasMessage("HOLDFAST_INSECURE_NO_AUTH: true or false expected, not maybe");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_DOCKER_HOST", "npipe:////./pipe/d")))
        .hasMessage(
            "HOLDFAST_DOCKER_HOST: unix:///path or tcp://host:port expected, not npipe:////./pipe/d");
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_HOOK_SECRET_NEXUS", "s")))
        .hasMessageStartingWith("HOLDFAST_HOOK_SECRET_NEXUS: unknown sender 'nexus'; one of [");
  }

  @Test
  void optionalSettingsAreEmptyUnlessSetAndBlankIsUnset() {
    Config c =
        Config.from(
            Map.of(
                "HOLDFAST_API_TOKEN", " t0k ",
                "HOLDFAST_HOOK_SECRET", "   ",
                "HOLDFAST_HOOK_HOST_JFROG", "jfrog.example"));

    assertThat(c.apiToken()).contains("t0k");
    assertThat(c.hookSecret()).isEmpty();
    assertThat(c.hookHosts()).isNotEmpty();
  }

  @Test
  void perSenderFamiliesAreReadByLowerCaseSender() {
    Config c =
        Config.from(
            Map.of(
                "HOLDFAST_HOOK_SECRET_GITHUB", "gh",
                "HOLDFAST_HOOK_HOST_JFROG", "jfrog.example",
                "HOLDFAST_HOOK_HOST_WATCHTOWER", "ignored"));

    assertThat(c.hookSecrets()).isEqualTo(Map.of("github", "gh"));
    assertThat(c.hookHosts()).isEqualTo(Map.of(RegistryKind.JFROG, "jfrog.example"));
  }

  @Test
  void secretsNeverReachToString() {
    Config c =
        Config.from(
            Map.of(
                "HOLDFAST_API_TOKEN", "api-secret",
                "HOLDFAST_HOOK_SECRET", "shared-secret",
                "HOLDFAST_HOOK_SECRET_GITHUB", "github-secret",
                "HOLDFAST_REGISTRY_AUTH", "reg.test:5000=alice:registry-secret"));

    assertThat(c.toString())
        .contains("apiToken=set", "hookSecret=set", "github", "registryAuth=[reg.test:5000]")
        .doesNotContain("api-secret", "shared-secret", "github-secret", "registry-secret");
  }

  @Test
  void registryLoginsAreReadPerNormalizedHostAndBadOnesNeverShowTheirText() {
    Config c =
        Config.from(
            Map.of(
                "HOLDFAST_REGISTRY_AUTH", "https://index.docker.io/v1/=bob:pw reg.test=<token>:t",
                "HOLDFAST_REGISTRY_AUTH_FILE", "/run/secrets/registries",
                "DOCKER_CONFIG", "/etc/holdfast/docker"));

    assertThat(c.registryAuth())
        .containsOnlyKeys("docker.io", "reg.test")
        .containsEntry("docker.io", dev.holdfast.docker.auth.RegistryLogin.basic("bob", "pw"))
        .containsEntry("reg.test", dev.holdfast.docker.auth.RegistryLogin.token("t"));
    assertThat(c.registryAuthFile()).contains(Path.of("/run/secrets/registries"));
    assertThat(c.dockerConfigPath()).isEqualTo(Path.of("/etc/holdfast/docker"));
    assertThat(Config.from(Map.of()).dockerConfigPath())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".docker", "config.json"));
    assertThatThrownBy(() -> Config.from(Map.of("HOLDFAST_REGISTRY_AUTH", "reg.test:hunter2")))
        .hasMessage(
            "HOLDFAST_REGISTRY_AUTH: entry 1 is not host=user:password (its text is not shown)");
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
  void serveFlagsOverrideTheirVariables() {
    Map<String, String> env =
        Map.of("HOLDFAST_LISTEN", "127.0.0.1:1", "HOLDFAST_RECONCILE_INTERVAL", "5s");
    CommandLine cli = ServeCommand.commandLine(env, dev.holdfast.run.PlanExecutor.Boundary.NONE);
    ServeCommand serve = cli.getCommand();
    cli.parseArgs(
        "--listen",
        "[::1]:9",
        "--docker-host",
        "tcp://127.0.0.1:2375",
        "--data-dir",
        "/tmp/hf",
        "--insecure-no-auth");

    Config c = serve.config();

    assertThat(c.listen()).isEqualTo(new Config.Listen("::1", 9));
    assertThat(c.dockerHost()).isEqualTo("tcp://127.0.0.1:2375");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/hf"));
    assertThat(c.insecureNoAuth()).isTrue();
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(5)); // no flag given: env
  }

  @Test
  void serveWithoutFlagsReadsTheEnvironmentAsItIs() {
    Map<String, String> env = Map.of("HOLDFAST_INSECURE_NO_AUTH", "true");
    CommandLine cli = ServeCommand.commandLine(env, dev.holdfast.run.PlanExecutor.Boundary.NONE);
    ServeCommand serve = cli.getCommand();
    cli.parseArgs();

    assertThat(serve.config()).isEqualTo(Config.from(env));
  }

  @Test
  void everyFlagIsInTheHelpWithTheVariableItOverrides() {
    String help =
        Main.commandLine().getSubcommands().get("serve").getUsageMessage().replaceAll("\\s+", " ");

    List<String> flags = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      s.flag().ifPresent(f -> flags.add(f.name()));
      s.flag().ifPresent(f -> assertThat(help).contains("overrides " + s.key()));
    }
    assertThat(flags)
        .containsExactly(
            "--docker-host",
            "--listen",
            "--insecure-no-auth",
            "--data-dir",
            "--reconcile-interval",
            "--inventory-resync",
            "--scope",
            "--instance",
            "--budgets",
            "--etcd");
    assertThat(help).contains(flags);
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
    for (Setting<?> s : Settings.ALL) {
      expected.add("| `" + s.key() + "` | `" + s.shownDefault() + "` | " + s.meaning() + " |");
    }

    assertThat(rows).isEqualTo(expected);
  }

  @Test
  void theSettingsAreTheConfigsComponentsInOrder() {
    // Config.from passes the settings' values in this order: HOLDFAST_GATE_POLL is gatePoll, a
    // family HOLDFAST_HOOK_HOST_<SENDER> is hookHosts
    List<String> fromKeys = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      String key = s.key().substring("HOLDFAST_".length());
      boolean family = key.endsWith("_<SENDER>");
      String[] words = key.replace("_<SENDER>", "").toLowerCase(java.util.Locale.ROOT).split("_");
      StringBuilder name = new StringBuilder(words[0]);
      for (int i = 1; i < words.length; i++) {
        name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
      }
      fromKeys.add(family ? name + "s" : name.toString());
    }

    assertThat(fromKeys)
        .isEqualTo(
            java.util.Arrays.stream(Config.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName)
                .toList());
  }
}
