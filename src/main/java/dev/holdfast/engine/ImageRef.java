package dev.holdfast.engine;

/**
 * An image reference split the way the engine splits it: {@code [host[:port]/]path[:tag][@digest]}.
 *
 * @param repository everything before the tag, registry host included when given
 * @param tag the tag, {@code latest} when none is given and there is no digest
 * @param digest the digest, or empty
 */
public record ImageRef(String repository, String tag, String digest) {

  public static ImageRef parse(String ref) {
    if (ref == null || ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("'" + ref + "' is not an image reference");
    }
    String rest = ref;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    String tag = "";
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return new ImageRef(rest, tag, digest);
  }

  /** The reference to pull: by digest when one is given, else by tag. */
  @Override
  public String toString() {
    if (!digest.isEmpty()) {
      return repository + (tag.isEmpty() ? "" : ":" + tag) + "@" + digest;
    }
    return repository + ":" + tag;
  }
}
