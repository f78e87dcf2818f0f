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

  /**
   * What a line says: its kind, the container and image it names and the error it reports (empty
   * when none).
   */
  record Notice(Kind kind, String container, String image, String error) {

    Notice(Kind kind, String container, String image) {
      this(kind, container, image, "");
    }
  }

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

  /**
   * cw update.go:159, logged at info after the hook's error when the pre-update command failed
   * (exit code not 0 nor 75). It names no container. The exit-75 skip itself (update.go:163) is
   * logged at debug only, and the fork logs both at debug, so no plain line ever shows a veto: a
   * vetoed member is known from the report, or from the "Found new … image" line of its image.
   */
  private static final Pattern CW_PRE_UPDATE_FAILED =
      Pattern.compile("Skipping container as the pre-update command failed");

  /**
   * cw client.go:220, a stop whose container stays: {@code container %s (%s) could not be removed}.
   */
  private static final Pattern CW_NOT_REMOVED =
      Pattern.compile("container " + NAME + " " + ID + " could not be removed");

  /**
   * What follows {@code Stopping}/{@code Creating} when the original's stop, create or start fails:
   * the Docker client's error alone (cw update.go:169,206,225 {@code log.Error(err)}).
   */
  private static final Pattern DAEMON_ERROR =
      Pattern.compile(
          "^(?:Error response from daemon: |error during connect: |Cannot connect to the Docker"
              + " daemon)");

  /**
   * A hook's failure, never the recreate's: after {@code Creating} it is the post-update hook's (cw
   * lifecycle.go:104), which does not break the container.
   */
  private static final Pattern HOOK_ERROR = Pattern.compile("^command exited with code \\d+");

  /**
   * nf internal/actions/update.go:1760,2087,2146: its own stop, create or start failed; with
   * structured fields (json.v1 {@code data}, or {@code | container=… error=…} in default-legacy).
   */
  private static final Pattern NF_RECREATE_FAILED =
      Pattern.compile("Failed to (?:stop|create|start) container(?: \\| (.*))?");

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

  /** The {@code error=} field of a default-legacy line: up to the next {@code key=}, or the end. */
  private static final Pattern NF_FIELD_ERROR =
      Pattern.compile("(?:^|\\s)error=(.*?)(?=\\s[a-z_]{1,32}=|\\s*$)");

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

  /** Whether the line is a report's header, after which item lines are read as items. */
  static boolean reportHeader(String line) {
    return CW_REPORT_HEADER.matcher(line).matches() || NF_REPORT_HEADER.matcher(line).matches();
  }

  /**
   * Whether a line that follows a container's {@code Stopping}/{@code Creating} line is the error
   * of that stop, create or start (json.v1 entries give the level; plain lines only the text).
   */
  static boolean recreateError(String line, boolean errorLevel) {
    return !HOOK_ERROR.matcher(line).find()
        && (errorLevel || DAEMON_ERROR.matcher(line).find() || namespaceLost(line));
  }

  static boolean namespaceLost(String error) {
    return WatchtowerErrors.namespaceLost(error);
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
      return new Notice(WatchtowerErrors.failed(m.group(3)), m.group(1), m.group(2), m.group(3));
    }
    if (CW_PRE_UPDATE_FAILED.matcher(line).matches()) {
      return new Notice(Kind.VETOED, "", "", line);
    }
    if ((m = CW_NOT_REMOVED.matcher(line)).matches()) {
      return new Notice(Kind.RECREATE_FAILED, m.group(1), "", line);
    }
    if ((m = NF_RECREATE_FAILED.matcher(line)).matches()) {
      return forkRecreateFailed(line, m.group(1));
    }
    if ((m = CW_UNABLE.matcher(line)).matches()) {
      return failure(m.group(1), m.group(2));
    }
    if (line.contains(" | ")) {
      m = NF_FIELD_CONTAINER.matcher(line);
      Matcher error = NF_FIELD_ERROR.matcher(line);
      Notice n = failure(m.find() ? m.group(1) : "", line);
      return error.find() && n.kind() != Kind.OTHER
          ? new Notice(n.kind(), n.container(), "", error.group(1).strip())
          : n;
    }
    return failure("", line);
  }

  private static Notice reportItem(String container, String image, String what) {
    Kind kind;
    if (what.equals("Restarted") || ITEM_UPDATED.matcher(what).matches()) {
      kind = Kind.RECREATED;
    } else if (what.equals("Stale")) {
      kind = Kind.NEW_IMAGE;
    } else if (what.startsWith("Failed:")) {
      // Only stale containers are listed Failed (equal image ids make them Fresh): the error says
      // whether the veto kept them as they were or Watchtower's own recreate broke.
      String error = what.substring("Failed:".length()).strip();
      return new Notice(WatchtowerErrors.failed(error), container, image, error);
    } else {
      kind = Kind.OTHER;
    }
    return new Notice(kind, container, image);
  }

  /** nf's failed stop, create or start; bare in json.v1 (fields in data), else with its fields. */
  private static Notice forkRecreateFailed(String line, String fields) {
    if (fields == null) {
      return new Notice(Kind.RECREATE_FAILED, "", "");
    }
    Matcher container = NF_FIELD_CONTAINER.matcher(fields);
    Matcher error = NF_FIELD_ERROR.matcher(fields);
    String err = error.find() ? error.group(1).strip() : "";
    return new Notice(
        namespaceLost(line) ? Kind.NAMESPACE_LOST : Kind.RECREATE_FAILED,
        container.find() ? container.group(1) : "",
        "",
        err);
  }

  /** An error outside a report's Failed list (a stale check, a log line): only a lost namespace. */
  private static Notice failure(String container, String error) {
    return namespaceLost(error)
        ? new Notice(Kind.NAMESPACE_LOST, container, "", error)
        : new Notice(Kind.OTHER, container, "");
  }
}
