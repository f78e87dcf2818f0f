package dev.holdfast.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DedupeTest {

  private final MutableClock clock = new MutableClock();
  private final Dedupe dedupe = new Dedupe(clock, Duration.ofMinutes(10), 3);

  @Test
  void aKeyActsOnceWithinTheWindowAndAgainAfterIt() {
    assertThat(dedupe.seen("a")).isEmpty();
    clock.advance(Duration.ofMinutes(9));
    assertThat(dedupe.seen("a")).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(dedupe.seen("a")).isEmpty();
  }

  @Test
  void peekRecordsNothing() {
    assertThat(dedupe.peek("a")).isEmpty();
    assertThat(dedupe.seen("a")).isEmpty();
    assertThat(dedupe.peek("a")).isPresent();
  }

  @Test
  void pastItsCapacityTheOldestKeysAreForgotten() {
    for (String k : new String[] {"a", "b", "c", "d"}) {
      dedupe.seen(k);
    }

    assertThat(dedupe.size()).isEqualTo(3);
    assertThat(dedupe.peek("a")).isEmpty();
    assertThat(dedupe.peek("d")).isPresent();
  }
}
