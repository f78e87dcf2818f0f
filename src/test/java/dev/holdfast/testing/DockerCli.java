package dev.holdfast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI for setting up real-engine tests; every container carries a session label. The
 * methods without a host use the CLI's default engine (DOCKER_HOST, else /var/run/docker.sock);
 * those with one run {@code docker -H <host>}, e.g. against sid's engine beside it.
 */
public final class DockerCli {

  private DockerCli() {}

  /** Fails (never skips) when no engine answers: integration tests must not pass without one. */
  public static void requireEngine() {
    if (exec(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30).code != 0) {
      throw new AssertionError(
          "no Docker engine answers on this machine; run the README test command, which starts one");
    }
  }

  /** Fails (never skips) when the engine at {@code host} does not answer; its server version. */
  public static String requireEngine(String host) {
    Result r = exec(docker(host, "version", "--format", "{{.Server.Version}}"), 30);
    if (r.code != 0) {
      throw new AssertionError(
          "no Docker engine answers on "
              + host
              + " (.ci/setup-env.sh starts it; run the README test command): "
              + r.output.strip());
    }
    return r.output.strip();
  }

  /** Fails when {@code image} is not on the engine at {@code host}. */
  public static void requireImage(String host, String image) {
    Result r = exec(docker(host, "image", "inspect", "--format", "{{.Id}}", image), 30);
    if (r.code != 0) {
      throw new AssertionError(
          image
              + " is not on the engine at "
              + host
              + " (.ci/setup-env.sh loads the test images into it): "
              + r.output.strip());
    }
  }

  /** Builds the test images (idempotent; fast when they exist). */
  public static void buildTestImages() {
    Result r = exec(List.of("bash", Path.of("src/test/docker/build-images.sh").toString()), 300);
    if (r.code != 0) {
      throw new AssertionError("building test images failed: " + r.output);
    }
  }

  /** docker run -d with the session labels; returns the container id. */
  public static String run(String session, String... args) {
    return run(List.of("docker"), session, args);
  }

  /** docker -H host run -d with the session labels; returns the container id. */
  public static String runOn(String host, String session, String... args) {
    return run(docker(host), session, args);
  }

  private static String run(List<String> docker, String session, String... args) {
    List<String> cmd = new ArrayList<>(docker);
    cmd.addAll(
        List.of(
            "run",
            "-d",
            "--label",
            "holdfast.test=true",
            "--label",
            "holdfast.test.session=" + session));
    cmd.addAll(List.of(args));
    Result r = exec(cmd, 60);
    if (r.code != 0) {
      throw new AssertionError("docker run failed: " + r.output);
    }
    String[] lines = r.output.trim().split("\n");
    return lines[lines.length - 1].trim();
  }

  /** Removes every container of a session. */
  public static void removeSession(String session) {
    removeSession(List.of("docker"), session);
  }

  /** Removes every container of a session on the engine at {@code host}. */
  public static void removeSessionOn(String host, String session) {
    removeSession(docker(host), session);
  }

  private static void removeSession(List<String> docker, String session) {
    List<String> ps = new ArrayList<>(docker);
    ps.addAll(List.of("ps", "-aq", "--filter", "label=holdfast.test.session=" + session));
    Result ids = exec(ps, 30);
    List<String> cmd = new ArrayList<>(docker);
    cmd.addAll(List.of("rm", "-f"));
    int fixed = cmd.size();
    for (String id : ids.output.trim().split("\\s+")) {
      if (!id.isBlank()) {
        cmd.add(id);
      }
    }
    if (cmd.size() > fixed) {
      exec(cmd, 60);
    }
  }

  /** {@code docker -H host args...} as a command line. */
  public static List<String> docker(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Output and exit code of a command, bounded in time. */
  public record Result(int code, String output) {}

  public static Result exec(List<String> command, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
