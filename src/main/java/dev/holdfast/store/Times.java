package dev.holdfast.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the store keeps them: ISO-8601 UTC text with all nine fraction digits, so that they
 * are exact to the nanosecond, compare and sort as text, and read plainly in the sqlite3 shell.
 */
final class Times {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  static String text(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
