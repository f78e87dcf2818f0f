package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real Compose binary run against one engine for one project: {@code docker-compose.yml} (or the
 * files given) in the project directory, under a fixed project name; Compose reads the directory's
 * {@code .env} as it does for users. v1 is bookworm's Compose 1.29, v2 sid's Compose 2.x (the
 * plugin binary run directly); both reach the engine through {@code DOCKER_HOST}. Every call is
 * bounded and fails with the command's output.
 */
final class Compose {

  /** The Compose binaries .ci/setup-env.sh installs. */
  enum Version {
    V1("/usr/bin/docker-compose"),
    V2("/opt/holdfast-sid/root/usr/libexec/docker/cli-plugins/docker-compose");

    final String binary;

    Version(String binary) {
      this.binary = binary;
    }
  }

  static final Duration CALL = Duration.ofSeconds(120);

  private final Version version;
  private final Docker engine;
  private final Path dir;
  private final String project;
  private final List<String> files;

  Compose(Version version, Docker engine, Path dir, String project) {
    this(version, engine, dir, project, List.of("docker-compose.yml"));
  }

  /**
   * A project of several files in {@code dir}, merged in order as Compose merges {@code -f a -f b}
   * (e.g. a file as users write it and the test's own additions).
   */
  Compose(Version version, Docker engine, Path dir, String project, List<String> files) {
    if (!Files.isExecutable(Path.of(version.binary))) {
      throw new AssertionError("Compose " + version + " missing at " + version.binary);
    }
    for (String f : files) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new AssertionError("no " + f + " in " + dir);
      }
    }
    this.version = version;
    this.engine = engine;
    this.dir = dir;
    this.project = project;
    this.files = List.copyOf(files);
  }

  /** The same project with other files of its directory. */
  Compose withFiles(String... others) {
    return new Compose(version, engine, dir, project, List.of(others));
  }

  String project() {
    return project;
  }

  /** Any Compose command; its result, whatever the exit code. */
  Cmd.Result run(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "DOCKER_HOST=" + engine.host(),
                version.binary,
                "--project-directory",
                dir.toString()));
    for (String f : files) {
      cmd.add("-f");
      cmd.add(dir.resolve(f).toString());
    }
    cmd.addAll(List.of("-p", project));
    cmd.addAll(Arrays.asList(args));
    return Cmd.run(CALL, cmd);
  }

  /** A Compose command that must succeed; stdout and stderr (Compose reports progress there). */
  String ok(String... args) {
    Cmd.Result r = run(args);
    if (!r.ok()) {
      throw new AssertionError(
          "compose "
              + version
              + " ("
              + engine
              + ") "
              + String.join(" ", args)
              + ": "
              + r.describe());
    }
    return r.out() + r.err();
  }

  String up(String... args) {
    return ok(prepend("up", args));
  }

  String restart(String... args) {
    return ok(prepend("restart", args));
  }

  /** Every container of the project, by name (also ones made beside Compose with its labels). */
  List<String> names() {
    return engine.names("label=com.docker.compose.project=" + project);
  }

  /** The resolved configuration, as Compose prints it. */
  String config() {
    return ok("config");
  }

  /**
   * Removes everything the project created: containers (also ones no longer in the file), its
   * networks and volumes; then whatever still carries the project label (e.g. a container made
   * beside Compose with its labels).
   */
  void down() {
    ok("down", "--volumes", "--remove-orphans", "--timeout", "2");
    String label = "label=com.docker.compose.project=" + project;
    for (String[] kind :
        List.of(
            new String[] {"ps", "-aq", "--filter", label},
            new String[] {"network", "ls", "-q", "--filter", label},
            new String[] {"volume", "ls", "-q", "--filter", label})) {
      String ids = engine.ok(kind);
      if (ids.isEmpty()) {
        continue;
      }
      List<String> rm = new ArrayList<>();
      rm.add(kind[0].equals("ps") ? "rm" : kind[0]);
      rm.addAll(kind[0].equals("ps") ? List.of("-f", "-v") : List.of("rm"));
      rm.addAll(List.of(ids.split("\\s+")));
      engine.ok(rm.toArray(String[]::new));
    }
  }

  private static String[] prepend(String head, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = head;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
