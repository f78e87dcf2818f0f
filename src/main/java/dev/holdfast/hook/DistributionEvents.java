package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * One Distribution-style event ({@code id, action, target, request}), the shape both CNCF
 * Distribution (inside its {@code events} envelope) and ACR (bare) send. Only {@code push} of a
 * manifest by tag is a push: Distribution also reports every blob, every GET and HEAD as {@code
 * pull}, mounts, and deletes that carry a tag but no digest.
 */
final class DistributionEvents {

  /** Image manifests and indexes; a {@code push} of anything else is a blob (layer or config). */
  static final Set<String> MANIFEST_TYPES =
      Set.of(
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws",
          "application/vnd.docker.distribution.manifest.v1+json");

  private DistributionEvents() {}

  /**
   * @param blobsPossible whether the sender reports blobs too (Distribution does, so a push without
   *     a manifest media type is not an image; ACR reports only manifests)
   */
  static void read(JsonNode event, Reading reading, boolean blobsPossible) {
    String action = text(event, "action");
    if (action.isEmpty()) {
      throw reading.malformed("has an event without an action");
    }
    JsonNode target = event.path("target");
    String repository = text(target, "repository");
    String mediaType = text(target, "mediaType");
    String tag = text(target, "tag");
    String digest = text(target, "digest");
    if (!action.equals("push")) {
      reading.ignore(
          Nodes.clip(action)
              + " of "
              + Nodes.clip(repository)
              + " ("
              + what(mediaType, tag, digest)
              + "): not a push");
      return;
    }
    if (repository.isEmpty()) {
      throw reading.malformed("has a push event without target.repository");
    }
    boolean manifest =
        MANIFEST_TYPES.contains(mediaType) || (!blobsPossible && mediaType.isEmpty());
    if (!manifest) {
      reading.ignore(
          "push of "
              + Nodes.clip(repository)
              + " ("
              + what(mediaType, tag, digest)
              + "): not an image manifest");
      return;
    }
    if (tag.isEmpty()) {
      reading.ignore(
          "push of "
              + Nodes.clip(repository)
              + " without a tag (a platform manifest of a multi-arch image)");
      return;
    }
    // request.host is the Host the pusher used; the target URL is built from it too.
    String host = text(event, "request", "host");
    if (host.isEmpty()) {
      host = Nodes.hostOf(text(target, "url"));
    }
    reading.push(host, repository, tag, digest, text(event, "id"));
  }

  /** What an event is about, for its reason: a manifest, a blob, a tag, a repository. */
  private static String what(String mediaType, String tag, String digest) {
    if (MANIFEST_TYPES.contains(mediaType)) {
      return "manifest";
    }
    if (mediaType.equals("application/octet-stream")) {
      return "blob";
    }
    if (!mediaType.isEmpty()) {
      return Nodes.clip(mediaType);
    }
    // Deletes carry no media type: one event names the digest, one the tag (same request).
    if (!tag.isEmpty()) {
      return "tag " + Nodes.clip(tag);
    }
    if (!digest.isEmpty()) {
      return "manifest " + Nodes.shortDigest(digest);
    }
    return "repository";
  }
}
