package dev.holdfast.hook;

import com.fasterxml.jackson.databind.JsonNode;

/** One sender's wire format. Throws MalformedHookException (via the reading) on a broken body. */
interface SenderParser {

  /**
   * Adds to {@code reading} every real push of a tag in this delivery, and a reason for everything
   * else.
   *
   * @param body the parsed body, always a JSON object
   */
  void read(Headers headers, JsonNode body, Reading reading);
}
