package dev.holdfast.etcd;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a new etcd leader (a higher raft term in a response header) and says for how long the
 * sites' states read from etcd may be stale after it.
 *
 * <p>Why: a new leader extends every lease (etcd's lessor promotion renews each lease to its full
 * TTL plus an election timeout). A holdfast that gave up its lease during the outage and reported
 * its site broken meanwhile left keys behind that come back under the old lease, saying what the
 * site did before the outage (announcing), until that lease expires or the holdfast writes again.
 * Planned work that trusted them would withdraw the one site that still announces. So after a
 * leader change, planned work waits one lease TTL plus a margin; repairs never wait.
 */
final class LeaderWatch {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  /**
   * Beyond the TTL: the election timeout etcd adds at promotion (1 s by default) and its expiry
   * sweep (every 500 ms), with room to spare.
   */
  static final Duration MARGIN = Duration.ofSeconds(3);

  private final Duration settle;
  private final LongSupplier nanos;
  private long term = -1;
  private long until = Long.MIN_VALUE;
  private boolean settling;

  LeaderWatch(Duration ttl, LongSupplier nanos) {
    this.settle = ttl.plus(MARGIN);
    this.nanos = nanos;
  }

  /** The raft term of a response; the first one seen is the baseline. */
  synchronized void saw(long raftTerm) {
    if (raftTerm <= 0) {
      return; // no header (a fake, an old proxy): nothing to compare
    }
    if (term >= 0 && raftTerm > term) {
      until = nanos.getAsLong() + settle.toNanos();
      settling = true;
      LOG.info(
          "etcd has a new leader (raft term {} after {}): planned withdrawals wait {} s for"
              + " states from before it to expire or be reported again",
          raftTerm,
          term,
          settle.toSeconds());
    }
    term = Math.max(term, raftTerm);
  }

  /** Why planned work must wait now, or empty. */
  synchronized Optional<String> stale() {
    long left = until - nanos.getAsLong();
    if (!settling) {
      return Optional.empty();
    }
    if (left <= 0) {
      settling = false;
      return Optional.empty();
    }
    return Optional.of(
        "etcd has a new leader (raft term "
            + term
            + "): sites' states from before it may be stale for "
            + Math.max(1, Duration.ofNanos(left).toMillis() / 1000)
            + " s more (etcd extends every lease on a leader change); no planned withdrawal starts");
  }
}
