package dev.holdfast.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** After a new etcd leader, planned work waits one lease TTL plus the margin; not before it. */
class LeaderWatchTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final LeaderWatch watch = new LeaderWatch(Duration.ofSeconds(6), now::get);

  private void pass(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void theFirstTermIsTheBaselineAndTheSameTermIsNoChange() {
    watch.saw(4);
    watch.saw(4);
    assertThat(watch.stale()).isEmpty();
  }

  @Test
  void aHigherTermMakesStatesStaleForTheTtlPlusTheMargin() {
    watch.saw(4);
    watch.saw(5);
    assertThat(watch.stale())
        .hasValueSatisfying(
            why -> assertThat(why).contains("raft term 5").contains("9 s more").contains("lease"));
    pass(Duration.ofSeconds(6).plus(LeaderWatch.MARGIN).minusMillis(10));
    assertThat(watch.stale()).isPresent();
    pass(Duration.ofMillis(20));
    assertThat(watch.stale()).isEmpty();
  }

  @Test
  void anAnswerWithoutATermChangesNothing() {
    watch.saw(4);
    watch.saw(0);
    watch.saw(4);
    assertThat(watch.stale()).isEmpty();
  }
}
