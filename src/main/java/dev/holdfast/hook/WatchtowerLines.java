package dev.holdfast.hook;

import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one line of a Watchtower notification means: the original's logrus texts, the fork's zerolog
 * texts, and report headers and items. Pure; {@link WatchtowerHooks} does the reading around it.
 */
final class WatchtowerLines {

  private WatchtowerLines() {}

  /** What a line says: its kind, and the container and image it names (empty when none). */
  record Notice(Kind kind, String container, String image) {}

  private static final String NAME = "/?([A-Za-z0-9][A-Za-z0-9_.-]{0,254})";
  private static final String IMAGE = "([^\\s()]+)";
  private static final String ID = "\\(([^\\s()]+)\\)";

  /** cw client.go:346, {@code Found new %s image (%s)}. */
  private static final Pattern CW_FOUND = Pattern.compile("Found new " + IMAGE + " image " + ID);

  /** cw client.go:195, {@code Stopping %s (%s) with %s}. */
  private static final Pattern CW_STOPPING =
      Pattern.compile("Stopping " + NAME + " " + ID + " with \\S+");

  /** cw client.go:268, {@code Creating %s}. Only with the leading '/' the original writes. */
  private static final Pattern CW_CREATING =
      Pattern.compile("Creating /([A-Za-z0-9][A-Za-z0-9_.-]{0,254})");

  /** cw update.go:53, {@code Unable to update container %q: %v. Proceeding to next.} */
  private static final Pattern CW_UNABLE =
      Pattern.compile("Unable to update container \"" + NAME + "\": (.*)");

  /** nf default-legacy, {@code Found new image: <image> (<new_id>)}. */
  private static final Pattern NF_FOUND = Pattern.compile("Found new image: " + IMAGE + " " + ID);

  /** nf default-legacy: stopped/started stale, new and linked containers. */
  private static final Pattern NF_CONTAINER =
      Pattern.compile(
          "(?:Stopped stale|Started new|Stopped linked|Started linked) container: "
              + NAME
              + " "
              + ID);

  /** nf default-legacy, {@code Updated container: <name> (<image>): <old> updated to <new>}. */
  private static final Pattern NF_UPDATED =
      Pattern.compile("Updated container: " + NAME + " \\(" + IMAGE + "\\): .*");

  /** nf, {@code Update failed for <name> (<image>): <error>}. */
  private static final Pattern NF_UPDATE_FAILED =
      Pattern.compile("Update failed for " + NAME + " \\(" + IMAGE + "\\): (.*)");

  /** nf default-legacy for messages it has no text for: {@code <msg> | k=v k=v }. */
  private static final Pattern NF_FIELD_CONTAINER =
      Pattern.compile("(?:^|\\s)container(?:_name)?=" + NAME + "(?=\\s|$)");

  private static final Pattern CW_REPORT_HEADER =
      Pattern.compile("\\d{1,9} Scanned, \\d{1,9} Updated, \\d{1,9} Failed");
  private static final Pattern NF_REPORT_HEADER =
      Pattern.compile(
          "\\d{1,9} Scanned, \\d{1,9} Updated, \\d{1,9} Restarted, \\d{1,9} Failed,"
              + " \\d{1,9} Fresh, \\d{1,9} Skipped");

  /** A report item, {@code - <name> (<image>): <what>}. */
  private static final Pattern REPORT_ITEM =
      Pattern.compile("- " + NAME + " \\(" + IMAGE + "\\): (.*)");

  private static final Pattern ITEM_UPDATED =
      Pattern.compile("[0-9a-f]{1,64} updated to [0-9a-f]{1,64}(?:\\s.*)?");

  /**
   * What Docker says when a container's network holder is gone or stopped: "No such container"
   * (create or start against a removed holder's ID), "joining network namespace …", "cannot join
   * network of a non running container".
   */
  private static final Pattern NAMESPACE_LOST =
      Pattern.compile(
          "no such container|join(?:ing)? (?:the )?network namespace|non[- ]running container",
          Pattern.CASE_INSENSITIVE);

  /** Whether the line is a report's header, after which item lines are read as items. */
  static boolean reportHeader(String line) {
    return CW_REPORT_HEADER.matcher(line).matches() || NF_REPORT_HEADER.matcher(line).matches();
  }

  static boolean namespaceLost(String error) {
    return NAMESPACE_LOST.matcher(error).find();
  }

  static Notice classify(String line, boolean report) {
    if (reportHeader(line)) {
      return new Notice(Kind.OTHER, "", "");
    }
    Matcher m;
    if (report && (m = REPORT_ITEM.matcher(line)).matches()) {
      return reportItem(m.group(1), m.group(2), m.group(3));
    }
    if ((m = CW_FOUND.matcher(line)).matches() || (m = NF_FOUND.matcher(line)).matches()) {
      return new Notice(Kind.NEW_IMAGE, "", m.group(1));
    }
    if ((m = CW_STOPPING.matcher(line)).matches()
        || (m = CW_CREATING.matcher(line)).matches()
        || (m = NF_CONTAINER.matcher(line)).matches()) {
      return new Notice(Kind.RECREATED, m.group(1), "");
    }
    if ((m = NF_UPDATED.matcher(line)).matches()) {
      return new Notice(Kind.RECREATED, m.group(1), m.group(2));
    }
    if ((m = NF_UPDATE_FAILED.matcher(line)).matches()) {
      return new Notice(failure(m.group(3)), m.group(1), m.group(2));
    }
    if ((m = CW_UNABLE.matcher(line)).matches()) {
      return new Notice(failure(m.group(2)), m.group(1), "");
    }
    if (line.contains(" | ")) {
      m = NF_FIELD_CONTAINER.matcher(line);
      return new Notice(failure(line), m.find() ? m.group(1) : "", "");
    }
    return new Notice(failure(line), "", "");
  }

  private static Notice reportItem(String container, String image, String what) {
    Kind kind;
    if (what.equals("Restarted") || ITEM_UPDATED.matcher(what).matches()) {
      kind = Kind.RECREATED;
    } else if (what.equals("Stale")) {
      kind = Kind.NEW_IMAGE;
    } else if (what.startsWith("Failed: ")) {
      kind = failure(what);
    } else {
      kind = Kind.OTHER;
    }
    return new Notice(kind, container, image);
  }

  private static Kind failure(String error) {
    return namespaceLost(error) ? Kind.NAMESPACE_LOST : Kind.OTHER;
  }
}
