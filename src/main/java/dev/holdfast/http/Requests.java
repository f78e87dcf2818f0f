package dev.holdfast.http;

import dev.holdfast.hook.Headers;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading what a request says: names, members, flags and a delivery's headers. A value that cannot
 * be read is a 400 naming its parameter, before anything acts on it.
 */
final class Requests {

  /** A group, member or container name, as Docker allows them. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** The context attribute naming a delivery's sender, for the hooks' metrics. */
  private static final String SENDER = "sender";

  private Requests() {}

  /** A name in the path. */
  static String name(Context ctx, String param) {
    String value = ctx.pathParam(param);
    if (!NAME.matcher(value).matches()) {
      throw new ApiException(400, param + ": '" + value + "' is not a valid name");
    }
    return value;
  }

  /** {@code ?member=a,b&member=c}: every member named, in order. */
  static Set<String> members(Context ctx) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : ctx.queryParams("member")) {
      for (String m : value.split(",")) {
        if (!m.isBlank()) {
          if (!NAME.matcher(m.trim()).matches()) {
            throw new ApiException(400, "member: '" + m + "' is not a valid name");
          }
          out.add(m.trim());
        }
      }
    }
    return out;
  }

  /**
   * A flag such as {@code ?dryRun=true}: true or 1, false or 0 (any case); absent or empty is
   * false. Anything else is refused rather than guessed: a mistyped dry run must not act.
   */
  static boolean flag(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new ApiException(400, param + ": true or false expected, not '" + v + "'");
    };
  }

  /** A delivery's headers, for the hook readers (which see no web framework). */
  static Headers headers(Context ctx) {
    return Headers.of(ctx.headerMap());
  }

  /** Names the sender of the delivery under way, once it is known. */
  static void sender(Context ctx, String sender) {
    ctx.attribute(SENDER, sender);
  }

  /** The sender of the delivery, or {@code unknown} before it was known. */
  static String sender(Context ctx) {
    Object sender = ctx.attribute(SENDER);
    return sender == null ? "unknown" : sender.toString();
  }
}
