package dev.holdfast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removal of what the tests create, also of what a killed earlier JVM left behind. */
final class Cleanup {

  private Cleanup() {}

  static void removeContainers(String filter) {
    List<String> names = Docker.names(filter);
    if (!names.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(names);
      Docker.run(args.toArray(String[]::new));
    }
  }

  /** Removes what an earlier JVM (no longer alive) of these tests left behind, on both engines. */
  static void removeStale() {
    removeStale(TestEngine.BOOKWORM);
    if (TestEngine.SID.run("version").ok()) {
      removeStale(TestEngine.SID); // an engine that does not answer fails the tests that use it
    }
  }

  private static void removeStale(TestEngine engine) {
    String label = "label=" + TestEnv.PID_LABEL;
    String fmt = "{{index .Labels \"" + TestEnv.PID_LABEL + "\"}}";
    String ids = engine.ok("ps", "-aq", "--filter", label);
    for (String id : ids.isEmpty() ? new String[0] : ids.split("\\s+")) {
      if (dead(engine.ok("inspect", "-f", fmt, id))) {
        engine.run("rm", "-f", "-v", id);
      }
    }
    String nets = engine.ok("network", "ls", "-q", "--filter", label);
    for (String id : nets.isEmpty() ? new String[0] : nets.split("\\s+")) {
      if (dead(engine.ok("network", "inspect", "-f", fmt, id))) {
        engine.run("network", "rm", id);
      }
    }
  }

  private static boolean dead(String pid) {
    return pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty();
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
