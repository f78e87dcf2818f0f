package dev.holdfast.hook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.trigger.MalformedHookException;
import dev.holdfast.trigger.WatchtowerNotice;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads what a Watchtower notification (shoutrrr {@code generic} service) says, in every form the
 * original (containrrr v1.7.1) and the fork (nicholas-fedor) send it:
 *
 * <ol>
 *   <li>plain log lines ({@code default-legacy}, one message a line; logrus texts of the original,
 *       zerolog texts of the fork);
 *   <li>the default report text ({@code N Scanned, N Updated, N Failed} and {@code - name (image):
 *       …} items; the fork's six-count header and {@code Restarted} items);
 *   <li>a {@code json.v1} document ({@code entries}, {@code host}, {@code report}, {@code title});
 *   <li>shoutrrr's {@code template=json} wrapper {@code {"message": …, "title": …}}, whose message
 *       is any of the above, a {@code json.v1} document included (double encoded).
 * </ol>
 *
 * <p>The body decides, not the {@code Content-Type}: the original sends plain text as {@code
 * application/json}, the fork as {@code text/plain}, and either may be missing. A body that is not
 * one JSON value is read as lines, so text never fails. Only JSON of another shape (an array, a
 * number, an object with none of the keys above, a {@code json.v1} document with wrong types) or a
 * body that is not UTF-8 is refused.
 *
 * <p>A container Watchtower lists as {@code Failed} (report text or json.v1) is either {@code
 * VETOED} (its pre-update hook refused, e.g. exit 75: Watchtower left it as it was, with a newer
 * image out) or {@code RECREATE_FAILED}/{@code NAMESPACE_LOST} (Watchtower's own stop, create or
 * start failed); see {@link WatchtowerErrors}. json.v1 items keep their image ids and error. The
 * parts: {@link WatchtowerText} (lines and entries, {@link WatchtowerLines} for what one line
 * means), {@link WatchtowerReport} (json.v1).
 *
 * <p>Every non-blank line or report item gives one notice, in the order sent; identical notices are
 * given once. Work is bounded: lines and items beyond {@value #MAX_LINES} are ignored, a line
 * longer than {@value #MAX_LINE_CHARS} characters is not interpreted, and {@link
 * WatchtowerNotice#text()} and {@link WatchtowerNotice#error()} are cut to {@value #MAX_TEXT_CHARS}
 * characters.
 *
 * <p>Stateless and thread-safe.
 */
public final class WatchtowerHooks {

  /** Lines (text) and items (JSON) read per body; the rest is ignored. */
  public static final int MAX_LINES = 10_000;

  /** A longer line is not matched against anything: it is an OTHER notice. */
  public static final int MAX_LINE_CHARS = 8_192;

  /** Notice texts are cut to this length. */
  public static final int MAX_TEXT_CHARS = 1_000;

  /** JSON decodings per body: the wrapper, then a json.v1 document in its message. */
  private static final int MAX_JSON_DEPTH = 2;

  /**
   * What the notification says, one notice per line or report item.
   *
   * @param contentType the request's {@code Content-Type}, or null; informational only (see the
   *     class comment)
   * @param body the request body as received, at most 1 MiB; null reads as empty
   * @return the notices in the order sent, without repeats; empty for an empty body
   * @throws MalformedHookException when the body is not UTF-8, or is JSON of a shape Watchtower
   *     does not send
   */
  public List<WatchtowerNotice> read(String contentType, byte[] body) {
    WatchtowerReading reading = new WatchtowerReading();
    body(reading, decode(body), 0);
    return reading.notices();
  }

  private static String decode(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new MalformedHookException("body is not valid UTF-8");
    }
  }

  private static void body(WatchtowerReading reading, String text, int depth) {
    JsonNode json = depth < MAX_JSON_DEPTH ? json(text) : null;
    if (json == null) {
      new WatchtowerText(reading).text(text);
      return;
    }
    if (json.isObject()) {
      if (json.has("report") || json.has("entries")) {
        new WatchtowerReport(reading).document(json);
        return;
      }
      if (json.has("message")) {
        JsonNode message = json.get("message");
        if (!message.isTextual()) {
          throw new MalformedHookException("'message' is not a string");
        }
        body(reading, message.asText(), depth + 1);
        return;
      }
    }
    if (depth > 0) {
      // Inside a wrapper the message is text, whatever it looks like.
      new WatchtowerText(reading).text(text);
      return;
    }
    throw new MalformedHookException(
        json.isObject()
            ? "a JSON object without 'message', 'entries' or 'report' is not a Watchtower"
                + " notification"
            : "a JSON "
                + json.getNodeType().name().toLowerCase(Locale.ROOT)
                + " is not a Watchtower notification");
  }

  /** The text as one JSON value, or null when it is not (then it is text). */
  private static JsonNode json(String text) {
    int start = 0;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    if (start == text.length() || "{[\"-0123456789tfn".indexOf(text.charAt(start)) < 0) {
      return null;
    }
    try {
      JsonNode node = Bodies.MAPPER.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
