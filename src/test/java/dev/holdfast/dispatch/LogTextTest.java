package dev.holdfast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTextTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "wget http://holdfast:8080/hooks/watchtower/pre-update?container=a&token=s3cr3t | s3cr3t",
        "GET https://bob:hunter2@reg.example/v2/ | hunter2",
        "Authorization: Bearer abc.def.ghi | abc.def.ghi",
        "auth: Basic Ym9iOmh1bnRlcjI= | Ym9iOmh1bnRlcjI=",
        "password=\"two words\" rest | two words",
        "api_key: k-123 | k-123",
        "HOLDFAST_HOOK_SECRET=hs | hs",
      })
  void secretsAreMasked(String text, String secret) {
    assertThat(LogText.safe(text)).doesNotContain(secret).contains("***");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Error response from daemon: port is already allocated",
        "command exited with code 1  maintenance window closed",
      })
  void plainErrorsAreKept(String text) {
    assertThat(LogText.safe(text)).isEqualTo(text);
  }

  @org.junit.jupiter.api.Test
  void itIsOneBoundedLine() {
    String safe = LogText.safe("a\nb\r\nc\u0007" + "x".repeat(1000));

    assertThat(safe).startsWith("a b c?").doesNotContain("\n").endsWith("…");
    assertThat(safe).hasSize(LogText.MAX_CHARS + 1);
  }
}
