package dev.holdfast.probe;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs one {@code holdfast.health} probe once. TCP and HTTP probes run inside the group's namespace
 * by exec in the holder (a busybox holder has {@code nc} and {@code wget}); exec probes run inside
 * the member.
 */
final class Prober {

  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final Engine engine;

  Prober(Engine engine) {
    this.engine = engine;
  }

  record Result(boolean passed, String detail) {}

  /**
   * @param probe a tcp, http or exec probe
   * @param holderId where tcp and http probes run
   * @param memberId where exec probes run
   */
  Result probe(HealthCheck probe, String holderId, String memberId) {
    List<String> command;
    String where;
    if (probe instanceof HealthCheck.Tcp t) {
      // busybox nc has no -z; with stdin closed it connects and exits 0, or 1 when refused
      command = List.of("nc", "-w", "2", "127.0.0.1", String.valueOf(t.port()));
      where = holderId;
    } else if (probe instanceof HealthCheck.Http h) {
      command = List.of("wget", "-q", "-O", "/dev/null", "http://127.0.0.1:" + h.port() + h.path());
      where = holderId;
    } else if (probe instanceof HealthCheck.Exec e) {
      command = e.command();
      where = memberId;
    } else {
      throw new IllegalArgumentException(probe.describe() + " is not a probe");
    }
    try {
      ExecResult r = engine.exec(where, command, PROBE_TIMEOUT);
      return new Result(
          r.succeeded(), probe.describe() + " exit " + r.exitCode() + " " + r.output().trim());
    } catch (EngineException e) {
      return new Result(false, probe.describe() + " could not run: " + e.getMessage());
    }
  }
}
