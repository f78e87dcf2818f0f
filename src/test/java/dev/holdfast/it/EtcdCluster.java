package dev.holdfast.it;

import dev.holdfast.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd cluster of three members on free loopback ports, data in a temp directory, for the
 * tests of the shared budget: members can be SIGKILLed and restarted on their data (one at a time,
 * or enough of them to take the quorum away). Nothing listens or connects beyond 127.0.0.1. A
 * binary that is missing fails the test: {@code .ci/setup-env.sh} installs both. {@link #close()}
 * kills every member and removes the directory; a JVM that exits first kills them too.
 */
final class EtcdCluster implements AutoCloseable {

  /** The etcd builds the tests run against: bookworm's package and sid's, extracted. */
  enum Binary {
    BOOKWORM("3.4", Path.of("/usr/bin/etcd")),
    SID("3.5", Path.of("/opt/holdfast-sid/root/usr/bin/etcd"));

    final String series;
    final Path path;

    Binary(String series, Path path) {
      this.series = series;
      this.path = path;
    }

    @Override
    public String toString() {
      return "etcd " + series;
    }
  }

  private static final Duration START_WAIT = Duration.ofSeconds(30);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Binary binary;
  private final Path dir;
  private final List<Member> members = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          // etcd's client port answers h2c upgrades in a way the JDK client can hang on
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final String token = "holdfast-it-" + UUID.randomUUID();
  private final Thread reaper = new Thread(this::cleanUp, "etcd-cluster-reaper");

  private static final class Member {
    final String name;
    final int clientPort;
    final int peerPort;
    final Path log;
    Process process;

    Member(String name, int clientPort, int peerPort, Path log) {
      this.name = name;
      this.clientPort = clientPort;
      this.peerPort = peerPort;
      this.log = log;
    }
  }

  private EtcdCluster(Binary binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /** Starts three members of the binary and waits until every one is healthy. */
  static EtcdCluster start(Binary binary) {
    if (!Files.isExecutable(binary.path)) {
      throw new AssertionError(
          binary
              + " missing at "
              + binary.path
              + ": run .ci/setup-env.sh (it installs bookworm's etcd-server and sid's etcd)");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("holdfast-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EtcdCluster c = new EtcdCluster(binary, dir);
    Runtime.getRuntime().addShutdownHook(c.reaper);
    try {
      Set<Integer> ports = new LinkedHashSet<>();
      while (ports.size() < 6) {
        ports.add(Ports.free());
      }
      List<Integer> p = List.copyOf(ports);
      for (int i = 0; i < 3; i++) {
        c.members.add(
            new Member("m" + i, p.get(2 * i), p.get(2 * i + 1), dir.resolve("m" + i + ".log")));
      }
      for (int i = 0; i < 3; i++) {
        c.launch(i);
      }
      c.awaitHealthy(START_WAIT);
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  Binary binary() {
    return binary;
  }

  /** Every member's client URL. */
  List<String> endpoints() {
    return members.stream().map(m -> "http://127.0.0.1:" + m.clientPort).toList();
  }

  /** The member that leads now (by its metrics), or -1 when none says it does. */
  int leader() {
    for (int i = 0; i < members.size(); i++) {
      String metrics = get(i, "/metrics");
      if (metrics != null && metrics.lines().anyMatch(l -> l.equals("etcd_server_is_leader 1"))) {
        return i;
      }
    }
    return -1;
  }

  /** SIGKILLs member i and waits until it is gone. */
  void kill(int i) {
    Member m = members.get(i);
    Process p = m.process;
    if (p == null) {
      return;
    }
    p.destroyForcibly(); // SIGKILL on Linux: no graceful leader transfer, no flush
    try {
      if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(m.name + " did not die within " + STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    m.process = null;
  }

  /** Starts member i again on its data directory; it rejoins (healthy once a quorum runs). */
  void restart(int i) {
    if (members.get(i).process != null) {
      throw new IllegalStateException(members.get(i).name + " is running");
    }
    launch(i);
  }

  /** Waits until every running member says it is healthy (it has a leader and answers). */
  void awaitHealthy(Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      boolean all = true;
      for (int i = 0; i < members.size(); i++) {
        Member m = members.get(i);
        if (m.process == null) {
          continue;
        }
        if (!m.process.isAlive()) {
          throw new AssertionError(
              m.name + " (" + binary + ") exited with " + m.process.exitValue() + ": " + tail(m));
        }
        String health = get(i, "/health");
        all &= health != null && health.contains("\"health\":\"true\"");
      }
      if (all) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            binary + " cluster not healthy within " + wait + "; logs: " + logs());
      }
      pause(100);
    }
  }

  /** The version a running member reports, e.g. {@code 3.5.30}. */
  String version() {
    for (int i = 0; i < members.size(); i++) {
      String v = members.get(i).process == null ? null : get(i, "/version");
      if (v != null && v.contains("etcdserver")) {
        return v.replaceAll(".*\"etcdserver\":\"([^\"]+)\".*", "$1").strip();
      }
    }
    return "?";
  }

  /** Kills every member (a cluster without quorum, or the end of the test). */
  void killAll() {
    for (int i = 0; i < members.size(); i++) {
      try {
        kill(i);
      } catch (RuntimeException | AssertionError e) {
        // the rest still go
      }
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      return; // the JVM is exiting: the hook cleans up
    }
    cleanUp();
  }

  private void cleanUp() {
    killAll();
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  /** Every member's log tail, for a failure message. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (Member m : members) {
      out.append("\n--- ").append(m.name).append(": ").append(tail(m));
    }
    return out.toString();
  }

  private void launch(int i) {
    Member m = members.get(i);
    String cluster =
        String.join(
            ",", members.stream().map(x -> x.name + "=http://127.0.0.1:" + x.peerPort).toList());
    List<String> argv =
        List.of(
            binary.path.toString(),
            "--name",
            m.name,
            "--data-dir",
            dir.resolve(m.name + ".etcd").toString(),
            "--listen-client-urls",
            "http://127.0.0.1:" + m.clientPort,
            "--advertise-client-urls",
            "http://127.0.0.1:" + m.clientPort,
            "--listen-peer-urls",
            "http://127.0.0.1:" + m.peerPort,
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:" + m.peerPort,
            "--initial-cluster",
            cluster,
            "--initial-cluster-state",
            "new",
            "--initial-cluster-token",
            token,
            // etcd's defaults, spelled out: the tests' timings assume them
            "--heartbeat-interval",
            "100",
            "--election-timeout",
            "1000",
            "--logger",
            "zap",
            "--log-level",
            "warn");
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // the machine's ETCD_* settings are no business of a test cluster
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    try {
      m.process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + binary.path + ": " + e, e);
    }
  }

  /** A member's answer to GET path, or null when it does not answer in time. */
  private String get(int i, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + members.get(i).clientPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : r.body() + " (HTTP " + r.statusCode() + ")";
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String tail(Member m) {
    try {
      String s = Files.readString(m.log);
      return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
