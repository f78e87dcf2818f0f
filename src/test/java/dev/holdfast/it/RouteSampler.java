package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link PeerSampler} for a peer with several sites: asks the peer BIRD for its whole table every
 * 100 ms from a background thread and keeps each answer, parsed ({@link PeerRoute#parse}), with its
 * time, so a test can say how many paths a prefix had at every moment. Bounded: it stops by itself
 * after a maximum duration (and so a maximum count); each ask is bounded at 5 s.
 */
final class RouteSampler implements AutoCloseable {

  private static final long PERIOD_MS = 100;

  /**
   * One look at the peer, asked at {@code at} and answered by {@code end}; {@code routes} is empty
   * when it did not answer.
   */
  record Sample(Instant at, Instant end, boolean answered, Map<String, List<PeerRoute>> routes) {

    /** The number of routes (paths) the peer had for the prefix. */
    int paths(String prefix) {
      return routes.getOrDefault(prefix, List.of()).size();
    }
  }

  private final Docker docker;
  private final String peer;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  RouteSampler(Docker docker, String peer, Duration max) {
    this.docker = docker;
    this.peer = peer;
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
            "route-sampler-" + peer);
    thread.setDaemon(true);
    thread.start();
  }

  /** The peer's table right now, asked directly. */
  Sample sample() {
    Instant at = Instant.now();
    Cmd.Result r =
        docker.run(
            Duration.ofSeconds(5), "exec", peer, "birdc", "-s", PeerSampler.SOCK, "show", "route");
    return new Sample(at, Instant.now(), r.ok(), r.ok() ? PeerRoute.parse(r.out()) : Map.of());
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  List<Sample> between(Instant from, Instant to) {
    return samples().stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to)).toList();
  }

  /** The fewest paths the prefix had in any answered sample; -1 when none answered. */
  int minPaths(String prefix) {
    return samples().stream()
        .filter(Sample::answered)
        .mapToInt(s -> s.paths(prefix))
        .min()
        .orElse(-1);
  }

  /** Answered samples in which the peer had no route at all for the prefix. */
  long absent(String prefix) {
    return samples().stream().filter(s -> s.answered() && s.paths(prefix) == 0).count();
  }

  /**
   * A compact timeline for failure messages: the path count per sample (9 at most), ? no answer.
   */
  String timeline(String prefix) {
    StringBuilder b = new StringBuilder();
    for (Sample s : samples()) {
      b.append(!s.answered() ? '?' : (char) ('0' + Math.min(9, s.paths(prefix))));
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
