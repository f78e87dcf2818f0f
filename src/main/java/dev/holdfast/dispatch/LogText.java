package dev.holdfast.dispatch;

import java.util.regex.Pattern;

/**
 * Text a caller sent, made fit for a log line: one line, bounded, and without the secrets such text
 * can carry (a pre-update hook's output may echo its URL with {@code token=…}, a daemon error a
 * registry URL with credentials).
 */
final class LogText {

  private LogText() {}

  static final int MAX_CHARS = 300;

  /**
   * {@code token=…}, {@code password: …}, {@code HOLDFAST_HOOK_SECRET=…} and the like, in query
   * strings, fields and headers (masking too much is harmless, too little is not).
   */
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i)(\\w*(?:token|secret|password|passwd|pwd|key)\\s*[=:]\\s*)"
              + "(?:\"[^\"]*\"|[^\\s&;,\"']+)");

  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[^\\s,;\"']+");

  private static final Pattern USER_INFO =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/\\s@]+@");

  static String safe(String text) {
    // bounded before the patterns run, so their work is too; masking may shorten it further
    String out = text.length() > 4 * MAX_CHARS ? text.substring(0, 4 * MAX_CHARS) : text;
    out = out.replaceAll("[\\r\\n\\t]+", " ");
    out = SECRET_FIELD.matcher(out).replaceAll("$1***");
    out = BEARER.matcher(out).replaceAll("$1 ***");
    out = USER_INFO.matcher(out).replaceAll("$1***@");
    out = out.replaceAll("\\p{Cntrl}", "?");
    if (out.length() <= MAX_CHARS) {
      return out;
    }
    int end = Character.isHighSurrogate(out.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return out.substring(0, end) + "…";
  }
}
