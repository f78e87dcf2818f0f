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
 * @param local whether the image was built or imported on the host: it is never pulled
 */
public record Target(
    String member,
    String image,
    String fromId,
    String toId,
    String digest,
    boolean hasHealthcheck,
    boolean local) {

  public Target(
      String member,
      String image,
      String fromId,
      String toId,
      String digest,
      boolean hasHealthcheck) {
    this(member, image, fromId, toId, digest, hasHealthcheck, false);
  }

  public boolean changesImage() {
    return !fromId.equals(toId);
  }
}
