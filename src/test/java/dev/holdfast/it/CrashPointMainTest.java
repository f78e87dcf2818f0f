package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrashPointMainTest {

  @Test
  void aCrashPointIsAKindAndAStepCount() {
    assertThatThrownBy(() -> CrashPointMain.crashAt("soon"))
        .hasMessage("HOLDFAST_TEST_CRASH_AT: update:N or heal:N expected, not soon");
    assertThatThrownBy(() -> CrashPointMain.crashAt("update:x"))
        .hasMessage("HOLDFAST_TEST_CRASH_AT: update:N or heal:N expected, not update:x");
    assertThatThrownBy(() -> CrashPointMain.crashAt("rotate:3"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
