package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JFrog Artifactory's predefined webhook, domain {@code docker}. The payload names the image and
 * tag but not the Docker host (that depends on Artifactory's access method), so a push counts only
 * when the operator configured the host; {@code data.sha256} is the manifest file's checksum, i.e.
 * the manifest digest.
 */
final class JfrogParser implements SenderParser {

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    String domain = text(body, "domain");
    String eventType = text(body, "event_type");
    if (domain.isEmpty() || eventType.isEmpty()) {
      throw reading.malformed("has no domain or event_type");
    }
    JsonNode data = body.path("data");
    String image = text(data, "image_name");
    String tag = text(data, "tag");
    if (!domain.equals("docker")) {
      reading.ignore(
          "jfrog "
              + Nodes.clip(domain)
              + " "
              + Nodes.clip(eventType)
              + " event: not a docker push");
      return;
    }
    if (!eventType.equals("pushed")) {
      reading.ignore(
          "jfrog docker "
              + Nodes.clip(eventType)
              + " of "
              + Nodes.clip(image + ":" + tag)
              + ": not a push");
      return;
    }
    if (image.isEmpty()) {
      throw reading.malformed("has a docker push without data.image_name");
    }
    if (tag.isEmpty()) {
      reading.ignore("jfrog docker push of " + Nodes.clip(image) + " without a tag");
      return;
    }
    String sha256 = text(data, "sha256");
    reading.push("", image, tag, sha256.isEmpty() ? "" : "sha256:" + sha256, "");
  }
}
