package dev.holdfast.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The id of the container holdfast itself runs in, when it runs in one, so that it never counts
 * itself as a group member (an operator may give it the labels of its Compose project, or run it in
 * a holder's namespace): replacing itself in the middle of a run would end the run.
 *
 * <p>Read from {@code /proc/self/mountinfo}: Docker bind-mounts the container's {@code
 * /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf} from {@code
 * <data-root>/containers/<id>/}, on cgroup v1 and v2 alike (the cgroup path is no help on v2 with a
 * private cgroup namespace).
 */
final class SelfContainer {

  private static final Pattern ID =
      Pattern.compile("/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv\\.conf)\\s");

  private SelfContainer() {}

  /** The id from this process's mountinfo; empty outside a container or when it cannot tell. */
  static Optional<String> detect() {
    Optional<String> id;
    try {
      id = fromMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    } catch (IOException | SecurityException e) {
      id = Optional.empty();
    }
    id.ifPresent(
        x ->
            LoggerFactory.getLogger(SelfContainer.class)
                .info("running in container {}: never a member of a group", x.substring(0, 12)));
    return id;
  }

  static Optional<String> fromMountinfo(List<String> lines) {
    for (String line : lines) {
      Matcher m = ID.matcher(line + " ");
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
