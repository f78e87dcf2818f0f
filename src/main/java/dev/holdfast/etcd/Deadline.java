package dev.holdfast.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;

/**
 * One bound for everything a call of {@code Sites} does against etcd, however many round trips it
 * takes: a store that cannot answer must not hold a run (or the status page) for longer.
 */
final class Deadline {

  private final long end;
  private final Duration span;

  private Deadline(Duration span) {
    this.span = span;
    this.end = System.nanoTime() + span.toNanos();
  }

  static Deadline after(Duration span) {
    return new Deadline(span);
  }

  long leftNanos() {
    return Math.max(0, end - System.nanoTime());
  }

  /** The future's result, or {@link EtcdDown} once the deadline passes or the call fails. */
  <T> T await(CompletableFuture<T> call) throws EtcdDown {
    try {
      return call.get(leftNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true); // stops jetcd's retries behind it
      throw new EtcdDown("no answer within " + span.toMillis() + " ms", false);
    } catch (ExecutionException e) {
      throw EtcdDown.of(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new EtcdDown("interrupted", false);
    }
  }

  /** Takes the lock unless the deadline passes first. */
  boolean lock(Lock lock) {
    try {
      return lock.tryLock(leftNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
