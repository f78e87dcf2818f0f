package dev.holdfast.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void aCallThatNeverAnswersEndsAtTheDeadlineAndIsCancelled() {
    CompletableFuture<String> never = new CompletableFuture<>();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(200)).await(never))
        .isInstanceOf(EtcdDown.class)
        .hasMessage("no answer within 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(never).isCancelled();
  }

  @Test
  void aFailedCallSaysWhatEtcdSaid() {
    CompletableFuture<String> failed =
        CompletableFuture.failedFuture(
            Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException());
    assertThatThrownBy(() -> Deadline.after(Duration.ofSeconds(1)).await(failed))
        .isInstanceOf(EtcdDown.class)
        .hasMessage("UNAVAILABLE: etcdserver: no leader")
        .satisfies(e -> assertThat(((EtcdDown) e).leaseGone()).isFalse());
  }

  @Test
  void aWriteOnAnExpiredLeaseSaysTheLeaseIsGone() {
    EtcdDown e =
        EtcdDown.of(
            Status.NOT_FOUND
                .withDescription("etcdserver: requested lease not found")
                .asRuntimeException());
    assertThat(e.leaseGone()).isTrue();
  }

  @Test
  void aLockHeldElsewhereIsGivenUpAtTheDeadline() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Thread holder = new Thread(lock::lock);
    holder.start();
    holder.join();
    assertThat(Deadline.after(Duration.ofMillis(100)).lock(lock)).isFalse();
  }
}
