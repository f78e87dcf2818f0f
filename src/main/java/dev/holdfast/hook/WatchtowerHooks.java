package dev.holdfast.hook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.holdfast.trigger.MalformedHookException;
import dev.holdfast.trigger.WatchtowerNotice;
import dev.holdfast.trigger.WatchtowerNotice.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * <p>Every non-blank line or report item gives one notice, in the order sent; identical notices are
 * given once. Work is bounded: lines and items beyond {@value #MAX_LINES} are ignored, a line
 * longer than {@value #MAX_LINE_CHARS} characters is not interpreted, and {@link
 * WatchtowerNotice#text()} is cut to {@value #MAX_TEXT_CHARS} characters.
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

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** nf json.v1 entry messages that have structured fields instead of a text. */
  private static final Map<String, Kind> NF_ENTRY_KINDS =
      Map.of(
          "Found new image", Kind.NEW_IMAGE,
          "Stopping container", Kind.RECREATED,
          "Stopping linked container", Kind.RECREATED,
          "Started new container", Kind.RECREATED,
          "Started linked container", Kind.RECREATED,
          "Container updated", Kind.RECREATED);

  /** json.v1 report lists, in the order their notices are given. */
  private static final List<String> REPORT_LISTS =
      List.of("updated", "restarted", "failed", "stale", "fresh", "skipped");

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
    Reading reading = new Reading();
    reading.body(decode(body), 0);
    return List.copyOf(reading.notices);
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

  /** The state of reading one body. */
  private static final class Reading {

    private final Set<WatchtowerNotice> notices = new LinkedHashSet<>();
    private int budget = MAX_LINES;

    void body(String text, int depth) {
      JsonNode json = depth < MAX_JSON_DEPTH ? json(text) : null;
      if (json == null) {
        new Lines().text(text, null);
        return;
      }
      if (json.isObject()) {
        if (json.has("report") || json.has("entries")) {
          jsonV1(json);
          return;
        }
        if (json.has("message")) {
          JsonNode message = json.get("message");
          if (!message.isTextual()) {
            throw new MalformedHookException("'message' is not a string");
          }
          body(message.asText(), depth + 1);
          return;
        }
      }
      if (depth > 0) {
        // Inside a wrapper the message is text, whatever it looks like.
        new Lines().text(text, null);
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
        JsonNode node = JSON.readTree(text);
        return node == null || node.isMissingNode() ? null : node;
      } catch (JsonProcessingException e) {
        return null;
      }
    }

    private void jsonV1(JsonNode document) {
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
          reportList(report, list);
        }
        return;
      }
      if (entries == null || entries.isNull()) {
        return;
      }
      Lines lines = new Lines();
      int index = 0;
      for (JsonNode entry : entries) {
        if (budget <= 0) {
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
          lines.entry(message.asText(), data != null && data.isObject() ? data : null);
        }
        index++;
      }
    }

    private void reportList(JsonNode report, String list) {
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
        if (budget-- <= 0) {
          return;
        }
        String where = "json.v1 'report." + list + "[" + index++ + "]'";
        if (!item.isObject()) {
          throw new MalformedHookException(where + " is not an object");
        }
        String name = string(item, "name");
        if (name.isBlank()) {
          throw new MalformedHookException(where + " has no name");
        }
        String container = stripSlash(name);
        String image = string(item, "imageName");
        String error = string(item, "error");
        Kind kind =
            switch (list) {
              case "updated", "restarted" -> Kind.RECREATED;
              case "stale" -> Kind.NEW_IMAGE;
              case "failed" -> namespaceLost(error) ? Kind.NAMESPACE_LOST : Kind.OTHER;
              default -> Kind.OTHER;
            };
        String text =
            container + " (" + image + "): " + state + (error.isEmpty() ? "" : ": " + error);
        add(kind, container, image, text);
      }
    }

    private static String string(JsonNode object, String field) {
      JsonNode value = object.get(field);
      return value != null && value.isTextual() ? value.asText() : "";
    }

    private void add(Kind kind, String container, String image, String text) {
      notices.add(new WatchtowerNotice(kind, container, image, clip(text)));
    }

    /**
     * Lines of one text, or the entries of one json.v1 document, read in order. The original logs a
     * failed stop, create or start as the daemon's error alone, right after its {@code Stopping
     * /name …} or {@code Creating /name} line; such an error is given to that container.
     */
    private final class Lines {

      private boolean report;
      private String lastRecreated = "";

      void text(String text, JsonNode data) {
        int start = 0;
        int length = text.length();
        while (start <= length && budget > 0) {
          int end = start;
          while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
          }
          budget--;
          line(text.substring(start, end), data);
          if (end < length && text.charAt(end) == '\r' && end + 1 < length) {
            end += text.charAt(end + 1) == '\n' ? 1 : 0;
          }
          start = end + 1;
        }
      }

      /** One json.v1 entry; the fork's come as a bare message with structured fields. */
      void entry(String message, JsonNode data) {
        Kind kind = data == null ? null : NF_ENTRY_KINDS.get(message);
        String container = data == null ? "" : stripSlash(string(data, "container"));
        String image = data == null ? "" : string(data, "image");
        if (kind == Kind.NEW_IMAGE && !image.isEmpty()
            || kind == Kind.RECREATED && !container.isEmpty()) {
          budget--;
          add(kind, container, image, message + fields(data));
          lastRecreated = kind == Kind.RECREATED ? container : "";
          return;
        }
        text(message, data);
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

      private void line(String raw, JsonNode data) {
        String line = raw.strip();
        if (line.isEmpty()) {
          return;
        }
        if (WatchtowerLines.reportHeader(line)) {
          report = true;
        }
        WatchtowerLines.Notice notice =
            line.length() > MAX_LINE_CHARS
                ? new WatchtowerLines.Notice(Kind.OTHER, "", "")
                : WatchtowerLines.classify(line, report);
        String container = notice.container();
        Kind kind = notice.kind();
        if (data != null) {
          if (container.isEmpty()) {
            container = stripSlash(string(data, "container"));
          }
          if (kind == Kind.OTHER && namespaceLost(string(data, "error"))) {
            kind = Kind.NAMESPACE_LOST;
          }
        }
        if (kind == Kind.NAMESPACE_LOST && container.isEmpty()) {
          container = lastRecreated;
        }
        add(kind, container, notice.image(), line);
        lastRecreated = kind == Kind.RECREATED ? container : "";
      }
    }
  }

  private static boolean namespaceLost(String error) {
    return WatchtowerLines.namespaceLost(error);
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static String clip(String text) {
    if (text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    int end = MAX_TEXT_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
