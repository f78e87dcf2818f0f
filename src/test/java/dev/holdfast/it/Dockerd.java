package dev.holdfast.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stops and starts the engine the way .ci/setup-env.sh runs it: {@code setsid nohup
 * /usr/sbin/dockerd --host unix:///var/run/docker.sock >>/var/log/holdfast-dockerd.log}, so that
 * it outlives this JVM. Only for machines where setup-env.sh started dockerd (no systemd).
 */
final class Dockerd {

  static final String DOCKERD = "/usr/sbin/dockerd";
  static final String SOCK = "/var/run/docker.sock";
  static final String LOG = "/var/log/holdfast-dockerd.log";
  static final Duration STOP_WAIT = Duration.ofSeconds(90);
  static final Duration START_WAIT = Duration.ofSeconds(60);

  private Dockerd() {}

  /** The pid of the one running dockerd. */
  static long pid() {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(10), "pgrep", "-x", "dockerd");
    String[] pids = r.out().strip().split("\\s+");
    if (!r.ok() || pids.length != 1) {
      throw new AssertionError("expected exactly one dockerd process, pgrep said: " + r.describe());
    }
    return Long.parseLong(pids[0]);
  }

  /** Sends the signal (TERM or KILL) to dockerd and waits until that process is gone. */
  static Duration stop(String signal) {
    long pid = pid();
    Instant t0 = Instant.now();
    Cmd.ok(Duration.ofSeconds(10), "kill", "-" + signal, String.valueOf(pid));
    Instant deadline = t0.plus(STOP_WAIT);
    while (alive(pid)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("dockerd " + pid + " still alive " + STOP_WAIT + " after " + signal);
      }
      Registry.pause(100);
    }
    return Duration.between(t0, Instant.now());
  }

  /** Starts dockerd exactly as setup-env.sh does and waits until {@code docker info} works. */
  static Duration start() {
    Instant t0 = Instant.now();
    String script =
        "setsid nohup "
            + DOCKERD
            + " --host unix://"
            + SOCK
            + " >>"
            + LOG
            + " 2>&1 </dev/null & echo $!";
    long pid = Long.parseLong(Cmd.ok(Duration.ofSeconds(10), "bash", "-c", script));
    Instant deadline = t0.plus(START_WAIT);
    while (!Docker.reachable()) {
      if (!alive(pid)) {
        throw new AssertionError("dockerd exited during start-up; log tail:\n" + logTail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("dockerd not answering after " + START_WAIT + "; log:\n" + logTail());
      }
      Registry.pause(250);
    }
    return Duration.between(t0, Instant.now());
  }

  static boolean alive(long pid) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    try {
      // a zombie (exited, not yet reaped) still has a handle
      return !Files.readString(Path.of("/proc/" + pid + "/status")).matches("(?s).*State:\\s*Z.*");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static String logTail() {
    return Cmd.run(Duration.ofSeconds(10), "tail", "-n", "40", LOG).out();
  }
}
