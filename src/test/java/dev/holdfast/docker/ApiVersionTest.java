package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiVersionTest {

  @Test
  void speaksAnOlderEnginesOwnVersion() {
    assertThat(ApiVersion.choose("1.41", "1.12")).isEqualTo("1.41");
  }

  @Test
  void capsANewerEngineAtTheNewestKnownWhichDocker29Accepts() {
    assertThat(ApiVersion.choose("1.52", "1.44")).isEqualTo(ApiVersion.NEWEST_KNOWN);
    assertThat(ApiVersion.compare(ApiVersion.NEWEST_KNOWN, "1.44")).isGreaterThanOrEqualTo(0);
  }

  @Test
  void neverGoesBelowTheEnginesMinimum() {
    assertThat(ApiVersion.choose("1.60", "1.50")).isEqualTo("1.50");
  }

  @Test
  void comparesNumerically() {
    assertThat(ApiVersion.compare("1.9", "1.10")).isNegative();
    assertThat(ApiVersion.compare("1.44", "1.44")).isZero();
  }
}
