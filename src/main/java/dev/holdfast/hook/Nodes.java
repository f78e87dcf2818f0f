package dev.holdfast.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Locale;

/**
 * Lenient reading of senders' JSON: a missing field, a {@code null} and a wrong type all read as
 * empty text, because senders add, drop and null fields between versions. Whether an empty value
 * makes the delivery malformed is each parser's call.
 */
final class Nodes {

  private Nodes() {}

  /** The text at this path; numbers and booleans as written; "" for missing, null or objects. */
  static String text(JsonNode node, String... path) {
    JsonNode at = node;
    for (String field : path) {
      at = at.path(field);
    }
    return at.isValueNode() && !at.isNull() ? at.asText().trim() : "";
  }

  /** Whether the field is present with a non-null value. */
  static boolean has(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** Text from a delivery made safe for a one-line reason: no control characters, 80 chars. */
  static String clip(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
  }

  /** {@code sha256:0123456789ab…}: enough of a digest to recognize it in a reason. */
  static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    int keep = colon < 0 ? 12 : colon + 13;
    return digest.length() > keep ? clip(digest.substring(0, keep)) + "…" : clip(digest);
  }

  /**
   * The registry host (with port) of a URL or of a scheme-less reference such as Harbor's {@code
   * hub.example/project/app:1}; "" when there is none.
   */
  static String hostOf(String urlOrReference) {
    if (urlOrReference.isBlank()) {
      return "";
    }
    if (urlOrReference.contains("://")) {
      try {
        URI uri = URI.create(urlOrReference);
        if (uri.getHost() == null) {
          return "";
        }
        return uri.getHost().toLowerCase(Locale.ROOT)
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
    int slash = urlOrReference.indexOf('/');
    return slash <= 0 ? "" : urlOrReference.substring(0, slash).toLowerCase(Locale.ROOT);
  }
}
