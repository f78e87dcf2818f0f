package dev.holdfast.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeCountTest {

  private static final ProbePolicy FALL3_RISE2 =
      new ProbePolicy(new HealthCheck.Tcp(53), Duration.ofSeconds(1), 3, 2);

  /** Feeds results (+ pass, - fail) and writes the verdict after each: H healthy, U unhealthy. */
  private static String run(String results) {
    ProbeCount c = ProbeCount.start();
    StringBuilder verdicts = new StringBuilder();
    for (char r : results.toCharArray()) {
      c = c.next(r == '+', String.valueOf(r), FALL3_RISE2);
      verdicts.append(c.healthy() ? 'H' : 'U');
    }
    return verdicts.toString();
  }

  @Test
  void startsHealthyAndFallsAfterThreeFailuresInARow() {
    assertThat(run("---")).isEqualTo("HHU");
  }

  @Test
  void aPassBetweenFailuresResetsTheFall() {
    assertThat(run("--+--+")).isEqualTo("HHHHHH");
  }

  @Test
  void risesAfterTwoPassesInARowAndAFailureResetsTheRise() {
    assertThat(run("---+-++")).isEqualTo("HHUUUUH");
  }

  @Test
  void keepsTheLastDetail() {
    ProbeCount c = ProbeCount.start().next(false, "tcp:53 exit 1", FALL3_RISE2);

    assertThat(c.last()).isEqualTo("tcp:53 exit 1");
    assertThat(c.streak()).isEqualTo(1);
  }
}
