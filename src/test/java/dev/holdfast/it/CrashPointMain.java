package dev.holdfast.it;

import dev.holdfast.app.ServeCommand;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.PlanExecutor;

/**
 * The crash tests' entry point: holdfast's own {@code serve}, with a step boundary that kills the
 * process (as SIGKILL would: no shutdown hooks, exit 137) after N steps of an update or a heal. It
 * lives with the tests so that no setting of the shipped service can make it die on purpose; {@link
 * HoldfastProcess} runs it from the packaged jar plus the test classes.
 *
 * <p>{@code HOLDFAST_TEST_CRASH_AT} is {@code update:N} or {@code heal:N}.
 */
public final class CrashPointMain {

  static final String CRASH_AT = "HOLDFAST_TEST_CRASH_AT";

  private CrashPointMain() {}

  public static void main(String[] args) {
    String at = System.getenv(CRASH_AT);
    PlanExecutor.Boundary boundary = at == null ? PlanExecutor.Boundary.NONE : crashAt(at);
    System.exit(ServeCommand.commandLine(System.getenv(), boundary).execute(args));
  }

  static PlanExecutor.Boundary crashAt(String at) {
    String[] parts = at.split(":", 2);
    if (parts.length != 2 || !parts[1].matches("\\d+")) {
      throw new IllegalArgumentException(CRASH_AT + ": update:N or heal:N expected, not " + at);
    }
    PlanKind kind = PlanKind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
    int steps = Integer.parseInt(parts[1]);
    System.err.printf(
        "%s=%s: this process dies after %d steps of a %s%n", CRASH_AT, at, steps, kind.label());
    return (run, done) -> {
      if (done == steps && run.kind() == kind) {
        System.err.printf("crash point reached: run %s after %d steps%n", run.id(), done);
        System.err.flush();
        Runtime.getRuntime().halt(137);
      }
    };
  }
}
