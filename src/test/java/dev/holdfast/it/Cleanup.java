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
    // One listing per kind, labels read by the listing itself: a container's labels sit under
    // .Config in `inspect` but a network's at the top, and an inspect per id races with removal.
    String label = "label=" + TestEnv.PID_LABEL;
    String fmt = "{{.ID}} {{.Label \"" + TestEnv.PID_LABEL + "\"}}";
    for (String id : staleIds(engine.ok("ps", "-a", "--filter", label, "--format", fmt))) {
      engine.run("rm", "-f", "-v", id);
    }
    for (String id : staleIds(engine.ok("network", "ls", "--filter", label, "--format", fmt))) {
      engine.run("network", "rm", id);
    }
  }

  /** The ids of "id pid" lines whose pid is no live process. */
  static List<String> staleIds(String listing) {
    List<String> ids = new ArrayList<>();
    for (String line : listing.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && dead(parts[1])) {
        ids.add(parts[0]);
      }
    }
    return ids;
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
