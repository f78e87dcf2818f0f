package dev.holdfast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI for setting up real-engine tests; every container carries a session label. */
public final class DockerCli {

  private DockerCli() {}

  /** Fails (never skips) when no engine answers: integration tests must not pass without one. */
  public static void requireEngine() {
    if (exec(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30).code != 0) {
      throw new AssertionError(
          "no Docker engine answers on this machine; run the README test command, which starts one");
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
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "docker",
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
    Result ids =
        exec(
            List.of("docker", "ps", "-aq", "--filter", "label=holdfast.test.session=" + session),
            30);
    List<String> cmd = new ArrayList<>(List.of("docker", "rm", "-f"));
    for (String id : ids.output.trim().split("\\s+")) {
      if (!id.isBlank()) {
        cmd.add(id);
      }
    }
    if (cmd.size() > 3) {
      exec(cmd, 60);
    }
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
