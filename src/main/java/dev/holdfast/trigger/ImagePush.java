package dev.holdfast.trigger;

/**
 * One real push of a tag, as a registry reported it.
 *
 * @param source the sender's kind, e.g. {@code distribution}, {@code github}
 * @param image the pushed name with its tag (never a digest in place of the tag)
 * @param digest the manifest digest when the sender gave one, else empty
 * @param deliveryId the sender's id for this delivery or event when it has one, else empty
 */
public record ImagePush(String source, ImageName image, String digest, String deliveryId) {

  /** The key of the same push sent again (a retry or a burst): repository, tag and digest. */
  public String dedupeKey() {
    return image.repositoryKey() + ":" + image.tag() + "@" + digest;
  }
}
