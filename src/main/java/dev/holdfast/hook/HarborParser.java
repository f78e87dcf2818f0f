package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Harbor 2.x, both policy formats: "Default" ({@code type} + {@code event_data}) and CloudEvents
 * ({@code specversion}, {@code type: harbor.artifact.pushed}, {@code data}, a stable {@code id}).
 * Harbor fires a push for every manifest PUT, so platform manifests of a multi-arch push arrive
 * with the digest in {@code resources[].tag}; those are ignored as digests.
 */
final class HarborParser implements SenderParser {

  /** Harbor 2 Default, Harbor 1.x (renamed in 2.0), CloudEvents. */
  private static final Set<String> PUSH_TYPES =
      Set.of("PUSH_ARTIFACT", "pushImage", "harbor.artifact.pushed");

  private static final int MAX_RESOURCES = 1000;

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    boolean cloudEvent = Nodes.has(body, "specversion");
    String type = text(body, "type");
    if (type.isEmpty()) {
      throw reading.malformed("has no type");
    }
    JsonNode data = body.path(cloudEvent ? "data" : "event_data");
    String repository = text(data, "repository", "repo_full_name");
    if (!PUSH_TYPES.contains(type)) {
      reading.ignore(
          "harbor event "
              + Nodes.clip(type)
              + (repository.isEmpty() ? "" : " for " + Nodes.clip(repository))
              + ": not a push");
      return;
    }
    if (repository.isEmpty()) {
      throw reading.malformed("has a push without repository.repo_full_name");
    }
    JsonNode resources = data.path("resources");
    if (!resources.isArray()) {
      throw reading.malformed("has a push without a resources array");
    }
    if (resources.size() > MAX_RESOURCES) {
      throw reading.malformed("has more than " + MAX_RESOURCES + " resources");
    }
    if (resources.isEmpty()) {
      reading.ignore("harbor push of " + Nodes.clip(repository) + " names no artifact");
    }
    // The CloudEvents id is rendered once per event, so Harbor's retries repeat it.
    String deliveryId = cloudEvent ? text(body, "id") : "";
    for (JsonNode resource : resources) {
      String tag = text(resource, "tag");
      if (tag.isEmpty()) {
        reading.ignore("harbor push of " + Nodes.clip(repository) + " without a tag");
        continue;
      }
      // resource_url is <ext_endpoint host>/<repo_full_name>:<tag> (or @<digest>), no scheme.
      String host = Nodes.hostOf(text(resource, "resource_url"));
      reading.push(host, repository, tag, text(resource, "digest"), deliveryId);
    }
  }
}
