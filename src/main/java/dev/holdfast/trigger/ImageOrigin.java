package dev.holdfast.trigger;

import dev.holdfast.engine.ImageInfo;

/**
 * Whether the image a member's reference names came from a registry, decided from the image's own
 * metadata before anything is pulled: the engine records a repo digest ({@code repo@sha256:...})
 * for each repository it pulled the image from or pushed it to. An image built or imported on the
 * host has none for that repository (very common for a BIRD image), and pulling its name would ask
 * Docker Hub for an image that was never there. A pull error is never taken to mean "local".
 *
 * <p>Docker's containerd image store (the default of Docker 29) lists a repo digest for every name
 * an image has, pulled or not, so there the metadata cannot tell; members whose image is built on
 * such a host say so with {@code holdfast.pull=never}.
 */
public final class ImageOrigin {

  private ImageOrigin() {}

  /**
   * @param ref the reference the member is configured with
   * @param image the local image that reference names now
   * @return true when the engine has a repo digest of that image for the reference's repository
   */
  public static boolean fromRegistry(String ref, ImageInfo image) {
    if (ImageName.isDigest(ref)) {
      return false; // an image id: nothing to pull it from
    }
    if (!image.digestsShowOrigin()) {
      // containerd's store cannot tell: pulled as before, unless the member says otherwise
      // (holdfast.pull=never)
      return true;
    }
    ImageName wanted;
    try {
      wanted = ImageName.parse(ref);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String repoDigest : image.repoDigests()) {
      int at = repoDigest.indexOf('@');
      if (at <= 0) {
        continue;
      }
      try {
        if (ImageName.parse(repoDigest.substring(0, at)).sameRepository(wanted)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // an entry the engine wrote oddly says nothing about this repository
      }
    }
    return false;
  }
}
