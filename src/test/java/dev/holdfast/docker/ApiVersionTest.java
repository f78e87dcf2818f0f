package dev.holdfast.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void readsOddVersionStringsByTheirLeadingDigits() {
    assertThat(ApiVersion.choose("1.41-rc", "1.12")).isEqualTo("1.41");
    assertThat(ApiVersion.choose(" 1.44 ", "1.24")).isEqualTo("1.44");
    assertThat(ApiVersion.choose("1.45.0", "1.24")).isEqualTo("1.45");
    assertThat(ApiVersion.compare("1.51-rc", "1.51")).isZero();
    assertThat(ApiVersion.compare("1.52.0", "1.51")).isPositive();
  }

  @Test
  void anOddNewerVersionIsStillCapped() {
    assertThat(ApiVersion.choose("1.52-dev", "1.44")).isEqualTo(ApiVersion.NEWEST_KNOWN);
    assertThat(ApiVersion.choose("1.52.0", "1.44")).isEqualTo(ApiVersion.NEWEST_KNOWN);
  }

  @Test
  void anUnreadableVersionSpeaksTheNewestKnownNeverAnOldFixedOne() {
    for (String unreadable : new String[] {"", "   ", null, "dev", "1", "x.y", ".44"}) {
      assertThat(ApiVersion.choose(unreadable, "1.44"))
          .as("engine version %s", unreadable)
          .isEqualTo(ApiVersion.NEWEST_KNOWN);
      assertThat(ApiVersion.choose(unreadable, ""))
          .as("engine version %s, no minimum", unreadable)
          .isEqualTo(ApiVersion.NEWEST_KNOWN);
    }
  }

  @Test
  void anUnreadableMinimumIsIgnored() {
    assertThat(ApiVersion.choose("1.41", "n/a")).isEqualTo("1.41");
    assertThat(ApiVersion.choose("1.41", null)).isEqualTo("1.41");
  }

  @Test
  void anUnreadableVersionStillRespectsAReadableMinimumAboveTheNewestKnown() {
    assertThat(ApiVersion.choose("garbage", "1.60-beta")).isEqualTo("1.60");
  }

  @Test
  void comparingAnUnreadableVersionSaysWhich() {
    assertThatThrownBy(() -> ApiVersion.compare("1.44", "latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latest");
  }
}
