package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/**
 * Google Artifact Registry through a Pub/Sub push subscription: the envelope's {@code message.data}
 * is base64 of {@code {"action","digest","tag"}}, where digest and tag are full references ({@code
 * <host>/<project>/<repo>/<image>:<tag>}). Uploads by digest come without {@code tag}; deletions
 * are {@code DELETE}. Pub/Sub redelivers, so {@code messageId} dedupes.
 */
final class GarParser implements SenderParser {

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    JsonNode message = body.path("message");
    String data = text(message, "data");
    if (data.isEmpty()) {
      throw reading.malformed("has no message.data");
    }
    JsonNode inner;
    try {
      inner = Bodies.parse(Base64.getDecoder().decode(data), "message.data");
    } catch (IllegalArgumentException e) {
      throw reading.malformed("has a message.data that is not base64");
    }
    String action = text(inner, "action");
    if (action.isEmpty()) {
      throw reading.malformed("has a message without an action");
    }
    String tagReference = text(inner, "tag");
    String digestReference = text(inner, "digest");
    if (!action.equals("INSERT")) {
      String subject = tagReference.isEmpty() ? digestReference : tagReference;
      reading.ignore("gar " + Nodes.clip(action) + " of " + shorten(subject) + ": not a push");
      return;
    }
    if (tagReference.isEmpty()) {
      reading.ignore(
          "gar INSERT of " + shorten(digestReference) + " without a tag (a digest-only upload)");
      return;
    }
    int firstSlash = tagReference.indexOf('/');
    int lastSlash = tagReference.lastIndexOf('/');
    int colon = tagReference.lastIndexOf(':');
    if (firstSlash <= 0 || colon < lastSlash) {
      reading.ignore(
          "gar \"tag\" " + Nodes.clip(tagReference) + " is not a tagged image reference");
      return;
    }
    int at = digestReference.indexOf('@');
    String delivery = text(message, "messageId");
    reading.push(
        tagReference.substring(0, firstSlash),
        tagReference.substring(firstSlash + 1, colon),
        tagReference.substring(colon + 1),
        at < 0 ? "" : digestReference.substring(at + 1),
        delivery.isEmpty() ? text(message, "message_id") : delivery);
  }

  /** A reference with its digest shortened, for a reason. */
  private static String shorten(String reference) {
    int at = reference.indexOf('@');
    return at < 0
        ? Nodes.clip(reference)
        : Nodes.clip(reference.substring(0, at))
            + "@"
            + Nodes.shortDigest(reference.substring(at + 1));
  }
}
