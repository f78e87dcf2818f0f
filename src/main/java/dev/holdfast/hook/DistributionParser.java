package dev.holdfast.hook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * CNCF Distribution notifications: an envelope {@code {"events": [...]}} (2.8: possibly several
 * events per POST, 3.x: one). Each event is read on its own, so one envelope can hold pushes and
 * reasons side by side.
 */
final class DistributionParser implements SenderParser {

  /** Far above what one registry POST holds; a bound so a hostile body cannot make us loop long. */
  static final int MAX_EVENTS = 1000;

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    JsonNode events = body.get("events");
    if (events == null || !events.isArray()) {
      throw reading.malformed("has no events array");
    }
    if (events.size() > MAX_EVENTS) {
      throw reading.malformed("has more than " + MAX_EVENTS + " events");
    }
    for (JsonNode event : events) {
      if (!event.isObject()) {
        throw reading.malformed("has an event that is not an object");
      }
      DistributionEvents.read(event, reading, true);
    }
  }
}
