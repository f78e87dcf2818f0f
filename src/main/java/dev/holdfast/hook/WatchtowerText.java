package dev.holdfast.hook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.Map;

/**
 * The lines of one text, or the entries of one json.v1 document, read in order into notices. The
 * original logs a failed stop, create or start as the daemon's error alone, right after its {@code
 * Stopping /name …} or {@code Creating /name} line; such an error is given to that container.
 */
final class WatchtowerText {

  /** nf json.v1 entry messages that have structured fields instead of a text. */
  private static final Map<String, Kind> NF_ENTRY_KINDS =
      Map.of(
          "Found new image", Kind.NEW_IMAGE,
          "Stopping container", Kind.RECREATED,
          "Stopping linked container", Kind.RECREATED,
          "Started new container", Kind.RECREATED,
          "Started linked container", Kind.RECREATED,
          "Container updated", Kind.RECREATED);

  private final WatchtowerReading reading;
  private boolean report;
  private String lastRecreated = "";

  WatchtowerText(WatchtowerReading reading) {
    this.reading = reading;
  }

  /** Every line of a text (LF, CRLF or CR), until the budget is spent. */
  void text(String text) {
    text(text, null, false);
  }

  private void text(String text, JsonNode data, boolean errorLevel) {
    int start = 0;
    int length = text.length();
    while (start <= length && reading.spend()) {
      int end = start;
      while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      line(text.substring(start, end), data, errorLevel);
      if (end < length && text.charAt(end) == '\r' && end + 1 < length) {
        end += text.charAt(end + 1) == '\n' ? 1 : 0;
      }
      start = end + 1;
    }
  }

  /**
   * One json.v1 entry; the fork's come as a bare message with structured fields.
   *
   * @param level the entry's level ("info", "warning", "error", …), or empty
   */
  void entry(String message, JsonNode data, String level) {
    Kind kind = data == null ? null : NF_ENTRY_KINDS.get(message);
    String container = data == null ? "" : WatchtowerReading.stripSlash(string(data, "container"));
    String image = data == null ? "" : string(data, "image");
    if (kind == Kind.NEW_IMAGE && !image.isEmpty()
        || kind == Kind.RECREATED && !container.isEmpty()) {
      reading.spend();
      reading.add(kind, container, image, "", "", "", message + fields(data));
      lastRecreated = kind == Kind.RECREATED ? container : "";
      return;
    }
    text(message, data, "error".equals(level));
  }

  private static String fields(JsonNode data) {
    StringBuilder out = new StringBuilder(" |");
    for (Map.Entry<String, JsonNode> field : data.properties()) {
      JsonNode value = field.getValue();
      out.append(' ')
          .append(field.getKey())
          .append('=')
          .append(value.isValueNode() ? value.asText() : value.toString());
    }
    return out.toString();
  }

  private void line(String raw, JsonNode data, boolean errorLevel) {
    String line = raw.strip();
    if (line.isEmpty()) {
      return;
    }
    if (WatchtowerLines.reportHeader(line)) {
      report = true;
    }
    WatchtowerLines.Notice notice =
        line.length() > WatchtowerHooks.MAX_LINE_CHARS
            ? new WatchtowerLines.Notice(Kind.OTHER, "", "")
            : WatchtowerLines.classify(line, report);
    String container = notice.container();
    Kind kind = notice.kind();
    String error = notice.error();
    if (data != null) {
      if (container.isEmpty()) {
        container = WatchtowerReading.stripSlash(string(data, "container"));
      }
      String dataError = string(data, "error");
      if (kind == Kind.RECREATE_FAILED && !dataError.isEmpty()) {
        // the fork's bare "Failed to … container" with its error in the fields
        kind = WatchtowerLines.namespaceLost(dataError) ? Kind.NAMESPACE_LOST : kind;
        error = dataError;
      } else if (kind == Kind.OTHER && WatchtowerLines.namespaceLost(dataError)) {
        kind = Kind.NAMESPACE_LOST;
        error = dataError;
      }
    }
    if (kind == Kind.OTHER
        && !lastRecreated.isEmpty()
        && line.length() <= WatchtowerHooks.MAX_LINE_CHARS
        && WatchtowerLines.recreateError(line, errorLevel)) {
      // the original's stop, create or start error, right after the container's line
      kind = Kind.RECREATE_FAILED;
      container = lastRecreated;
      error = line;
    }
    if ((kind == Kind.NAMESPACE_LOST || kind == Kind.RECREATE_FAILED) && container.isEmpty()) {
      container = lastRecreated;
    }
    reading.add(kind, container, notice.image(), "", "", error, line);
    lastRecreated = kind == Kind.RECREATED ? container : "";
  }

  static String string(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }
}
