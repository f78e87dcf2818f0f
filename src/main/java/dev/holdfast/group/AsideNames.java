package dev.holdfast.group;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the containers a run keeps beside a member: the new one before it takes the member's
 * name, and the old one set aside for rollback. Recovery finds them by these names, because the
 * engine cannot add labels to an existing container.
 */
public final class AsideNames {

  private static final Pattern ASIDE = Pattern.compile("(.+)\\.holdfast-(old|new)-([a-z0-9]+)");

  private AsideNames() {}

  public static String old(String member, String runId) {
    return member + ".holdfast-old-" + runId;
  }

  public static String fresh(String member, String runId) {
    return member + ".holdfast-new-" + runId;
  }

  public static boolean isAside(String name) {
    return ASIDE.matcher(name).matches();
  }

  /** The member an aside name belongs to. */
  public static Optional<String> memberOf(String name) {
    Matcher m = ASIDE.matcher(name);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
