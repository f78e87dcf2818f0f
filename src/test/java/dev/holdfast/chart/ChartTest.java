package dev.holdfast.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Helm's own lint and template, run from Java: no helm binary, no cluster. */
class ChartTest {

  private final Helm chart = new Helm(Path.of("charts/holdfast"));

  @Test
  void lintsClean() {
    LintResult lint = chart.lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void rendersADaemonSetWithTheSocketAndTheTokenFromASecret() {
    String out = chart.template().withName("hf").set("apiToken", "t0ken").call();

    assertThat(out).contains("kind: DaemonSet").contains("path: /var/run/docker.sock");
    assertThat(out).contains("kind: Secret").contains("name: hf-token").contains("key: token");
    assertThat(out).doesNotContain("value: t0ken");
  }

  @Test
  void withoutATokenNoSecretIsReferenced() {
    String out = chart.template().withName("hf").call();

    assertThat(out).doesNotContain("kind: Secret").doesNotContain("HOLDFAST_API_TOKEN");
  }
}
