package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Quay's {@code repo_push} notification: the bare event data, no event type, no digest, no id; one
 * push per entry of {@code updated_tags}. Build, vulnerability and other notifications share the
 * shape without {@code updated_tags}. The "Test notification" carries the real repository with
 * made-up tags {@code ["latest","foo"]}, so acting on it would update {@code latest} for nothing.
 */
final class QuayParser implements SenderParser {

  private static final List<String> TEST_TAGS = List.of("latest", "foo");
  private static final int MAX_TAGS = 1000;

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    String repository = text(body, "repository");
    String dockerUrl = text(body, "docker_url");
    if (repository.isEmpty() || dockerUrl.isEmpty()) {
      throw reading.malformed("has no repository or docker_url");
    }
    JsonNode updated = body.get("updated_tags");
    if (Nodes.has(body, "build_id") || Nodes.has(body, "docker_tags")) {
      reading.ignore("quay build event for " + Nodes.clip(repository) + ": not a push");
      return;
    }
    if (updated == null || updated.isNull()) {
      reading.ignore(
          "quay event for " + Nodes.clip(repository) + " without updated_tags: not a push");
      return;
    }
    if (updated.size() > MAX_TAGS) {
      throw reading.malformed("has more than " + MAX_TAGS + " updated_tags");
    }
    List<String> tags = tags(updated);
    // Real pushes never carry pruned_image_count; only Quay's sample data does.
    if (Nodes.has(body, "pruned_image_count") || tags.equals(TEST_TAGS)) {
      reading.ignore("quay test notification");
      return;
    }
    if (tags.isEmpty()) {
      reading.ignore("quay push of " + Nodes.clip(repository) + " without tags");
      return;
    }
    // docker_url is <SERVER_HOSTNAME>/<namespace>/<name>; the hostname may carry a port.
    String host = Nodes.hostOf(dockerUrl);
    for (String tag : tags) {
      reading.push(host, repository, tag, "", "");
    }
  }

  /** A list of tags; 2013-era Quay sent an object {tag: imageId} instead. */
  private static List<String> tags(JsonNode updated) {
    List<String> tags = new ArrayList<>();
    if (updated.isArray()) {
      updated.forEach(tag -> tags.add(tag.isValueNode() ? tag.asText().trim() : ""));
    } else if (updated.isObject()) {
      updated.fieldNames().forEachRemaining(tags::add);
    }
    tags.removeIf(String::isEmpty);
    return tags;
  }
}
