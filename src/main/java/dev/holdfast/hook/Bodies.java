package dev.holdfast.hook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.trigger.MalformedHookException;
import java.io.IOException;

/**
 * Parses a delivery's bytes into a JSON object. Errors say where the JSON broke, never what it
 * said: bodies can hold tokens, and error text ends up in answers and logs.
 */
final class Bodies {

  /** The hook readers' one mapper: a body is one JSON value, trailing tokens refused. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Bodies() {}

  /**
   * @param what what is parsed, for the message: "body", "message.data"
   * @throws MalformedHookException when the bytes are not one JSON object
   */
  static JsonNode parse(byte[] bytes, String what) {
    if (bytes == null || bytes.length == 0) {
      throw new MalformedHookException(what + " is empty");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new MalformedHookException(
          what
              + " is not JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new MalformedHookException(what + " is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new MalformedHookException(what + " is not a JSON object");
    }
    return node;
  }
}
