package dev.holdfast.etcd;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease an {@link EtcdSites} hangs its state and slot keys on, kept alive by jetcd. It
 * reckons the lease gone a little before etcd does (the last answer plus the TTL, less a second),
 * never after: a slot this instance still counts on must not have expired already. A new lease
 * comes with a new {@link #generation()}, which tells the owner to put every key again.
 */
final class LeaseKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  // A keep-alive answer arrives some way after etcd renewed the lease; count from a bit earlier.
  private static final long ANSWER_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Lease leases;
  private final long ttlSeconds;

  // all guarded by this
  private long id;
  private long validUntil;
  private Instant renewed;
  private String lost;
  private String failing;
  private CloseableClient keepAlive;
  private long generation;

  LeaseKeeper(Lease leases, long ttlSeconds) {
    this.leases = leases;
    this.ttlSeconds = ttlSeconds;
  }

  /** The lease while it lives by our reckoning, else 0. */
  synchronized long current() {
    if (id != 0 && System.nanoTime() - validUntil > 0) {
      lose("no keep-alive answer for " + ttlSeconds + " s, etcd expires it");
    }
    return id;
  }

  /** Counts up with every lease granted: the keys under an older one may be gone. */
  synchronized long generation() {
    return generation;
  }

  /** When etcd last granted or renewed the lease (for tests that time its expiry). */
  synchronized Optional<Instant> renewed() {
    return Optional.ofNullable(renewed);
  }

  /** Whether a lease was lost and no new one has been granted since. */
  synchronized boolean isLost() {
    return id == 0 && lost != null;
  }

  /** Why the lease cannot be counted on, if it cannot. */
  synchronized Optional<String> problem() {
    if (id == 0 && lost != null) {
      return Optional.of("etcd lease lost (" + lost + ")");
    }
    if (id == 0) {
      return Optional.of("no etcd lease granted yet");
    }
    if (failing != null) {
      return Optional.of("etcd keep-alive failing, the lease lives until its TTL: " + failing);
    }
    return Optional.empty();
  }

  /** The reason a planned take waits while there is no lease. */
  synchronized String lostReason() {
    return "etcd lease lost: no new withdrawal starts until holdfast holds a new lease ("
        + (lost == null ? "none granted yet" : lost)
        + ")";
  }

  /**
   * Grants a new lease and keeps it alive. The old one is left to expire, not revoked: the keys on
   * it stay until the owner has put them on the new one.
   */
  void grant(Deadline deadline) throws EtcdDown {
    long asked = System.nanoTime();
    LeaseGrantResponse granted = deadline.await(leases.grant(ttlSeconds));
    synchronized (this) {
      stopKeepAlive();
      id = granted.getID();
      validUntil = asked + TimeUnit.SECONDS.toNanos(granted.getTTL());
      renewed = Instant.now();
      lost = null;
      failing = null;
      generation++;
      keepAlive = leases.keepAlive(id, new Observer(id));
      LOG.info("etcd lease {} granted, TTL {} s", Long.toHexString(id), granted.getTTL());
    }
  }

  synchronized void lose(String why) {
    if (id == 0) {
      return;
    }
    LOG.warn(
        "etcd lease {} lost ({}): no new withdrawal starts until a new one is granted",
        Long.toHexString(id),
        why);
    id = 0;
    lost = why;
    stopKeepAlive();
  }

  /** Stops keeping the lease alive without revoking it, as a killed holdfast would. */
  synchronized void abandon() {
    stopKeepAlive();
    id = 0;
    lost = "abandoned";
  }

  /**
   * Revokes the lease (its state and slot keys go at once), within the deadline if etcd answers.
   */
  void revoke(Deadline deadline) {
    long revoking;
    synchronized (this) {
      stopKeepAlive();
      revoking = id;
      id = 0;
      lost = "closed";
    }
    if (revoking != 0) {
      try {
        deadline.await(leases.revoke(revoking));
      } catch (EtcdDown e) {
        LOG.warn(
            "etcd lease {} not revoked, it expires: {}",
            Long.toHexString(revoking),
            e.getMessage());
      }
    }
  }

  private void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
  }

  /** Keep-alive answers of one lease; those of a lease already replaced change nothing. */
  private final class Observer implements StreamObserver<LeaseKeepAliveResponse> {

    private final long lease;

    Observer(long lease) {
      this.lease = lease;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse r) {
      synchronized (LeaseKeeper.this) {
        if (id != lease || r.getTTL() <= 0) {
          return;
        }
        validUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(r.getTTL()) - ANSWER_SLACK_NANOS;
        renewed = Instant.now();
        if (failing != null) {
          LOG.info("etcd keep-alive of lease {} answers again", Long.toHexString(lease));
        }
        failing = null;
      }
    }

    @Override
    public void onError(Throwable t) {
      EtcdDown e = EtcdDown.of(t);
      synchronized (LeaseKeeper.this) {
        if (id != lease) {
          return;
        }
        if (e.leaseGone()) {
          lose("etcd says it is gone");
          return;
        }
        // jetcd restarts the stream; the lease may well outlive this
        failing = e.getMessage();
      }
    }

    @Override
    public void onCompleted() {
      // jetcd's own deadline passed: no answer within the TTL
      synchronized (LeaseKeeper.this) {
        if (id == lease) {
          lose("no keep-alive answer within its TTL of " + ttlSeconds + " s");
        }
      }
    }
  }
}
