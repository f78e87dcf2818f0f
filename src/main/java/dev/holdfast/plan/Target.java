package dev.holdfast.plan;

/**
 * What a member is to be recreated from.
 *
 * @param member the member's name
 * @param image the reference or image id to create from
 * @param fromId the image id the member runs now
 * @param toId the image id it will run
 * @param digest the manifest digest of the new image, or empty when unknown
 * @param hasHealthcheck whether the new image declares a HEALTHCHECK
 */
public record Target(
    String member,
    String image,
    String fromId,
    String toId,
    String digest,
    boolean hasHealthcheck) {

  public boolean changesImage() {
    return !fromId.equals(toId);
  }
}
