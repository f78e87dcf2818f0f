package dev.holdfast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands with a bounded wait; output is captured through temp files. A command that
 * must succeed ({@link #ok}) fails the test with the command line and all it printed.
 */
public final class Cmd {

  /** What a finished command left behind. */
  public record Result(int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    public String describe() {
      return "exit " + exit + ", stdout: " + out.strip() + ", stderr: " + err.strip();
    }
  }

  private Cmd() {}

  /** Runs a command; a command that outlives the timeout is killed and reported as exit 124. */
  public static Result run(Duration timeout, List<String> command) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("hf-it-out", ".txt");
      err = Files.createTempFile("hf-it-err", ".txt");
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(124, read(out), read(err) + "\n(timed out after " + timeout + ")");
      }
      return new Result(p.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  public static Result run(Duration timeout, String... command) {
    return run(timeout, List.of(command));
  }

  /** Runs a command that must succeed; returns its trimmed stdout. */
  public static String ok(Duration timeout, String... command) {
    return ok(timeout, List.of(command));
  }

  /** Runs a command that must succeed; returns its trimmed stdout. */
  public static String ok(Duration timeout, List<String> command) {
    Result r = run(timeout, command);
    if (!r.ok()) {
      throw new AssertionError(String.join(" ", command) + " failed: " + r.describe());
    }
    return r.out().strip();
  }

  private static String read(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }
}
