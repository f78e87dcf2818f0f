package dev.holdfast.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientLimitsTest {

  @Test
  void eachClientHasItsOwnBudgetPerSecond() {
    ClientLimits limits = new ClientLimits(3);

    assertThat(limits.allow("10.0.0.1")).isTrue();
    assertThat(limits.allow("10.0.0.1")).isTrue();
    assertThat(limits.allow("10.0.0.1")).isTrue();
    assertThat(limits.allow("10.0.0.1")).isFalse();
    assertThat(limits.allow("10.0.0.2")).isTrue();
  }
}
