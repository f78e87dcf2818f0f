package dev.holdfast.engine;

import java.util.List;
import java.util.Optional;

/**
 * A local image.
 *
 * @param id image id ({@code sha256:...})
 * @param repoDigests {@code repo@sha256:...} entries the engine recorded when it pulled or pushed
 * @param hasHealthcheck whether the image declares a HEALTHCHECK
 */
public record ImageInfo(String id, List<String> repoDigests, boolean hasHealthcheck) {

  public ImageInfo {
    repoDigests = List.copyOf(repoDigests);
  }

  /** The manifest digest ({@code sha256:...}) of the first repo digest, if any. */
  public Optional<String> digest() {
    return repoDigests.stream()
        .filter(d -> d.contains("@"))
        .map(d -> d.substring(d.indexOf('@') + 1))
        .findFirst();
  }
}
