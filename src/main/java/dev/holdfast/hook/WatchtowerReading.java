package dev.holdfast.hook;

import dev.holdfast.trigger.WatchtowerNotice;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of reading one Watchtower body: the notices so far (in order, without repeats) and the
 * budget of lines and items left. Not thread-safe; one per body.
 */
final class WatchtowerReading {

  private final Set<WatchtowerNotice> notices = new LinkedHashSet<>();
  private int budget = WatchtowerHooks.MAX_LINES;

  /** Takes one line or item from the budget; false when it is spent (the rest is ignored). */
  boolean spend() {
    if (budget <= 0) {
      return false;
    }
    budget--;
    return true;
  }

  boolean spent() {
    return budget <= 0;
  }

  void add(
      WatchtowerNotice.Kind kind,
      String container,
      String image,
      String currentImageId,
      String latestImageId,
      String error,
      String text) {
    notices.add(
        new WatchtowerNotice(
            kind,
            container,
            image,
            currentImageId,
            latestImageId,
            clip(error, WatchtowerHooks.MAX_TEXT_CHARS),
            clip(text, WatchtowerHooks.MAX_TEXT_CHARS)));
  }

  List<WatchtowerNotice> notices() {
    return List.copyOf(notices);
  }

  static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /** At most {@code max} characters, and "…" when cut (never inside a surrogate pair). */
  static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
