package dev.holdfast.hook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.trigger.MalformedHookException;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code json.v1} document ({@code entries}, {@code host}, {@code report}, {@code title}) read
 * into notices: the report's items when there is a report (its entries then add nothing), else the
 * entries as lines. Field names and shapes: ref §2e (cw pkg/notifications/json.go:12-58; the fork
 * adds {@code restarted}).
 */
final class WatchtowerReport {

  /** json.v1 report lists, in the order their notices are given. */
  private static final List<String> REPORT_LISTS =
      List.of("updated", "restarted", "failed", "stale", "fresh", "skipped");

  /** Watchtower's image ids: 12 hex digits, {@code sha256:} stripped; a full id is taken too. */
  private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?([0-9a-f]{1,64})");

  private final WatchtowerReading reading;

  WatchtowerReport(WatchtowerReading reading) {
    this.reading = reading;
  }

  void document(JsonNode document) {
    JsonNode report = document.get("report");
    JsonNode entries = document.get("entries");
    if (entries != null && !entries.isNull() && !entries.isArray()) {
      throw new MalformedHookException("json.v1 'entries' is not an array");
    }
    if (report != null && !report.isNull()) {
      if (!report.isObject()) {
        throw new MalformedHookException("json.v1 'report' is not an object");
      }
      for (String list : REPORT_LISTS) {
        list(report, list);
      }
      return;
    }
    if (entries == null || entries.isNull()) {
      return;
    }
    WatchtowerText lines = new WatchtowerText(reading);
    int index = 0;
    for (JsonNode entry : entries) {
      if (reading.spent()) {
        return;
      }
      if (!entry.isObject()) {
        throw new MalformedHookException("json.v1 'entries[" + index + "]' is not an object");
      }
      JsonNode message = entry.get("message");
      if (message != null && !message.isNull()) {
        if (!message.isTextual()) {
          throw new MalformedHookException(
              "json.v1 'entries[" + index + "].message' is not a string");
        }
        JsonNode data = entry.get("data");
        lines.entry(
            message.asText(),
            data != null && data.isObject() ? data : null,
            WatchtowerText.string(entry, "level"));
      }
      index++;
    }
  }

  private void list(JsonNode report, String list) {
    JsonNode items = report.get(list);
    if (items == null || items.isNull()) {
      return;
    }
    if (!items.isArray()) {
      throw new MalformedHookException("json.v1 'report." + list + "' is not an array");
    }
    String state = Character.toUpperCase(list.charAt(0)) + list.substring(1);
    int index = 0;
    for (JsonNode item : items) {
      if (!reading.spend()) {
        return;
      }
      String where = "json.v1 'report." + list + "[" + index++ + "]'";
      if (!item.isObject()) {
        throw new MalformedHookException(where + " is not an object");
      }
      String name = WatchtowerText.string(item, "name");
      if (name.isBlank()) {
        throw new MalformedHookException(where + " has no name");
      }
      String container = WatchtowerReading.stripSlash(name);
      String image = WatchtowerText.string(item, "imageName");
      String error = WatchtowerText.string(item, "error");
      Kind kind =
          switch (list) {
            case "updated", "restarted" -> Kind.RECREATED;
            case "stale" -> Kind.NEW_IMAGE;
            // Listed Failed: vetoed by the pre-update hook, or Watchtower's recreate failed.
            case "failed" -> WatchtowerErrors.failed(error);
            default -> Kind.OTHER;
          };
      String text =
          container + " (" + image + "): " + state + (error.isEmpty() ? "" : ": " + error);
      reading.add(
          kind,
          container,
          image,
          imageId(item, "currentImageId"),
          imageId(item, "latestImageId"),
          error,
          text);
    }
  }

  /** The id as Watchtower writes it, or empty when missing or not an image id. */
  private static String imageId(JsonNode item, String field) {
    var m = IMAGE_ID.matcher(WatchtowerText.string(item, field));
    return m.matches() ? m.group(1) : "";
  }
}
