package dev.holdfast.engine;

import java.util.List;
import java.util.Optional;

/**
 * A local image.
 *
 * @param id image id ({@code sha256:...})
 * @param repoDigests {@code repo@sha256:...} entries the engine recorded when it pulled or pushed
 * @param hasHealthcheck whether the image declares a HEALTHCHECK
 * @param digestsShowOrigin whether a repo digest proves the image came from (or went to) that
 *     registry: true on Docker's classic image store, which records one only on pull and push;
 *     false on the containerd image store (Docker 29's default), which lists one for every name an
 *     image has, pulled or built here
 */
public record ImageInfo(
    String id, List<String> repoDigests, boolean hasHealthcheck, boolean digestsShowOrigin) {

  public ImageInfo {
    repoDigests = List.copyOf(repoDigests);
  }

  public ImageInfo(String id, List<String> repoDigests, boolean hasHealthcheck) {
    this(id, repoDigests, hasHealthcheck, true);
  }

  /** The manifest digest ({@code sha256:...}) of the first repo digest, if any. */
  public Optional<String> digest() {
    return repoDigests.stream()
        .filter(d -> d.contains("@"))
        .map(d -> d.substring(d.indexOf('@') + 1))
        .findFirst();
  }
}
