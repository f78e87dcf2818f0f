package dev.holdfast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

  /** Removes what an earlier JVM (no longer alive) of these tests left behind. */
  static void removeStale() {
    Set<String> stale = new LinkedHashSet<>();
    for (String n : Docker.names("label=" + TestEnv.PID_LABEL)) {
      String pid = Docker.inspect(n).map(c -> Docker.label(c, TestEnv.PID_LABEL)).orElse(null);
      if (pid != null && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
        stale.add(n);
      }
    }
    if (!stale.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(stale);
      Docker.run(args.toArray(String[]::new));
    }
    String nets = Docker.ok("network", "ls", "-q", "--filter", "label=" + TestEnv.PID_LABEL);
    for (String id : nets.isEmpty() ? new String[0] : nets.split("\\s+")) {
      String pid =
          Docker.ok(
              "network", "inspect", "-f", "{{index .Labels \"" + TestEnv.PID_LABEL + "\"}}", id);
      if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
        Docker.run("network", "rm", id);
      }
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
