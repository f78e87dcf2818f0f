package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the peer BIRD (a container on {@code engine}) every 100 ms whether it has the anycast
 * prefix, from a background thread, and keeps a timestamped record. Bounded: it stops by itself
 * after a maximum duration or count.
 */
final class PeerSampler implements AutoCloseable {

  static final String SOCK = "/run/bird/bird.ctl";
  private static final long PERIOD_MS = 100;

  /**
   * One look at the peer, asked at {@code at} and answered by {@code end}: present says whether the
   * prefix was in its table at some moment in between.
   */
  record Sample(Instant at, Instant end, boolean present, boolean answered) {}

  private final Docker engine;
  private final String peer;
  private final String prefix;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  PeerSampler(Docker engine, String peer, String prefix, Duration max) {
    this.engine = engine;
    this.peer = peer;
    this.prefix = prefix;
    long maxCount = max.toMillis() / PERIOD_MS + 1;
    Instant end = Instant.now().plus(max);
    this.thread =
        new Thread(
            () -> {
              for (long i = 0; i < maxCount && !stopped && Instant.now().isBefore(end); i++) {
                long t0 = System.nanoTime();
                Sample s;
                try {
                  s = sample();
                } catch (RuntimeException e) {
                  return; // interrupted by close()
                }
                synchronized (samples) {
                  samples.add(s);
                }
                long left = PERIOD_MS - (System.nanoTime() - t0) / 1_000_000;
                if (left > 0 && !sleep(left)) {
                  return;
                }
              }
            },
            "peer-sampler-" + peer);
    thread.setDaemon(true);
    thread.start();
  }

  private Sample sample() {
    Instant at = Instant.now();
    Cmd.Result r =
        engine.run(Duration.ofSeconds(5), "exec", peer, "birdc", "-s", SOCK, "show", "route");
    return new Sample(at, Instant.now(), r.ok() && r.out().contains(prefix), r.ok());
  }

  /** The peer's BGP protocol table right now ({@code birdc show protocols}). */
  String protocols() {
    return engine.exec(peer, "birdc", "-s", SOCK, "show", "protocols").out();
  }

  /** Whether the peer has the prefix right now (asked directly, not from the record). */
  boolean presentNow() {
    return sample().present();
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  List<Sample> between(Instant from, Instant to) {
    return samples().stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to)).toList();
  }

  /** A compact timeline for failure messages: + present, - absent, ? no answer. */
  String timeline() {
    StringBuilder b = new StringBuilder();
    for (Sample s : samples()) {
      b.append(!s.answered() ? '?' : s.present() ? '+' : '-');
    }
    return b.toString();
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(7_000); // one sample at most: its exec is bounded by 5 s
      thread.interrupt();
      thread.join(3_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
