package dev.holdfast.engine;

/** Outcome of a command run inside a container; output is stdout and stderr combined. */
public record ExecResult(int exitCode, String output) {

  public boolean succeeded() {
    return exitCode == 0;
  }
}
