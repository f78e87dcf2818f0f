package dev.holdfast.group;

import dev.holdfast.engine.ContainerView;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Docker Compose writes on the containers it manages, and the temporary names it gives them
 * while it recreates one.
 *
 * <p>Compose recreates through a temporary name, differently per version (seen with {@code docker
 * events}): v1 stops the old container and renames it to {@code <12 hex of its own id>_<name>},
 * then creates the new one under the name; v2 creates the new one as {@code <12 hex of the old
 * id>_<name>} (labelled {@code com.docker.compose.replace=<name>}), stops and removes the old one,
 * then renames the new one. Either way a container with such a name is about to be removed or
 * renamed: it never names a group and is never the holder a heal targets.
 */
public final class ComposeLabels {

  public static final String PROJECT = "com.docker.compose.project";
  public static final String SERVICE = "com.docker.compose.service";

  /** v2: the image id the container was created from; {@code up} recreates when it differs. */
  public static final String IMAGE = "com.docker.compose.image";

  /** v2: on a container created to replace another, the replaced container's name. */
  public static final String REPLACE = "com.docker.compose.replace";

  private static final Pattern TEMPORARY = Pattern.compile("([0-9a-f]{12})_(.+)");

  private ComposeLabels() {}

  /**
   * Whether the container carries Compose's temporary name: {@code <12 hex>_<name>} where the hex
   * is its own id (v1 set the old one aside) or it is a Compose container (v2 named the new one
   * after the old id). A user's own container that merely looks like that is not Compose's.
   */
  public static boolean temporary(ContainerView c) {
    Matcher m = TEMPORARY.matcher(c.name());
    return m.matches() && (c.id().startsWith(m.group(1)) || c.labels().containsKey(PROJECT));
  }

  /** The name without Compose's temporary prefix: what the container is (or was) called. */
  public static String finalName(ContainerView c) {
    if (!temporary(c)) {
      return c.name();
    }
    Matcher m = TEMPORARY.matcher(c.name());
    m.matches();
    return m.group(2);
  }

  /**
   * A remembered holder name without Compose's temporary prefix (older holdfast releases could
   * remember one).
   */
  public static String finalName(String name) {
    Matcher m = TEMPORARY.matcher(name);
    return m.matches() ? m.group(2) : name;
  }

  /** {@code <project>/<service>} when Compose manages the container. */
  public static Optional<String> service(ContainerView c) {
    String project = c.labels().get(PROJECT);
    String service = c.labels().get(SERVICE);
    return project == null || service == null
        ? Optional.empty()
        : Optional.of(project + "/" + service);
  }

  /** The Compose project, when Compose manages the container. */
  public static Optional<String> project(ContainerView c) {
    return Optional.ofNullable(c.labels().get(PROJECT));
  }
}
