package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops and starts the dockerd that serves the tests' engine socket (DOCKER_HOST, default
 * /var/run/docker.sock) the way .ci/setup-env.sh runs it: {@code setsid nohup <same command line>
 * >>LOG 2>&1 </dev/null &}, so it outlives this JVM. For the default socket that is exactly
 * setup-env.sh's {@code /usr/sbin/dockerd --host unix:///var/run/docker.sock} and its log.
 */
final class Dockerd {

  static final String DEFAULT_SOCK = "/var/run/docker.sock";
  static final String DEFAULT_LOG = "/var/log/holdfast-dockerd.log";
  static final Duration STOP_WAIT = Duration.ofSeconds(90);
  static final Duration START_WAIT = Duration.ofSeconds(60);

  /** A running dockerd: its pid and the command line it was started with. */
  record Process(long pid, List<String> argv) {}

  private Dockerd() {}

  static String socket() {
    String host = System.getenv("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      return DEFAULT_SOCK;
    }
    if (!host.startsWith("unix://")) {
      throw new AssertionError(
          "DOCKER_HOST=" + host + ": only a local unix socket can be restarted");
    }
    return host.substring("unix://".length());
  }

  static String log() {
    return socket().equals(DEFAULT_SOCK) ? DEFAULT_LOG : socket() + ".log";
  }

  /** The one dockerd whose command line names our socket. */
  static Process find() {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(10), "pgrep", "-x", "dockerd");
    List<Process> found = new ArrayList<>();
    for (String pid : r.out().strip().split("\\s+")) {
      if (pid.isBlank()) {
        continue;
      }
      List<String> argv = argv(Long.parseLong(pid));
      if (argv.stream().anyMatch(a -> a.endsWith("unix://" + socket()))) {
        found.add(new Process(Long.parseLong(pid), argv));
      }
    }
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one dockerd started with --host unix://"
              + socket()
              + " (as .ci/setup-env.sh"
              + " does), found "
              + found
              + "; pgrep: "
              + r.describe());
    }
    return found.get(0);
  }

  /** Sends the signal (TERM or KILL) to dockerd and waits until that process is gone. */
  static Duration stop(Process d, String signal) {
    Instant t0 = Instant.now();
    Cmd.ok(Duration.ofSeconds(10), "kill", "-" + signal, String.valueOf(d.pid()));
    Instant deadline = t0.plus(STOP_WAIT);
    while (alive(d.pid())) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("dockerd " + d.pid() + " alive " + STOP_WAIT + " after " + signal);
      }
      Registry.pause(100);
    }
    return Duration.between(t0, Instant.now());
  }

  /**
   * Starts dockerd with the given command line, detached, and waits until it answers. After a
   * SIGKILL dockerd refuses to start while the old one's pid file still names a live (or not yet
   * reaped) process, or gives up waiting for the old containerd that is still exiting; like a
   * service manager, try again after a pause (at most 5 attempts).
   */
  static Duration start(Process d) {
    Instant t0 = Instant.now();
    StringBuilder script = new StringBuilder("setsid nohup");
    for (String a : d.argv()) {
      script.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    script.append(" >>'").append(log()).append("' 2>&1 </dev/null & echo $!");
    for (int attempt = 1; ; attempt++) {
      long pid = Long.parseLong(Cmd.ok(Duration.ofSeconds(10), "bash", "-c", script.toString()));
      Instant deadline = Instant.now().plus(START_WAIT);
      while (!Docker.local().answers() && alive(pid)) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("dockerd not answering after " + START_WAIT + ":\n" + logTail());
        }
        Registry.pause(250);
      }
      if (Docker.local().answers()) {
        return Duration.between(t0, Instant.now());
      }
      System.out.println("[Dockerd] start attempt " + attempt + " exited:\n" + logTail());
      if (attempt == 5) {
        throw new AssertionError("dockerd exited during start-up " + attempt + " times");
      }
      Registry.pause(2000);
    }
  }

  static boolean alive(long pid) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    try {
      // a zombie (exited, not yet reaped) still has a handle
      String status = Files.readString(Path.of("/proc/" + pid + "/status"));
      return !status.matches("(?s).*State:\\s*Z.*");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> argv(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      List<String> out = new ArrayList<>();
      for (String a : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        if (!a.isEmpty()) {
          out.add(a);
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  static String logTail() {
    return Cmd.run(Duration.ofSeconds(10), "tail", "-n", "40", log()).out();
  }
}
