package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * GitHub's {@code package} event (and the older {@code registry_package}, same package object) for
 * GHCR. The event name is only in {@code X-GitHub-Event}; a new webhook first sends {@code ping}.
 * GHCR names are {@code ghcr.io/<namespace>/<name>} lower-cased, where the name may contain '/';
 * untagged versions (platform manifests) come with an empty tag name.
 */
final class GitHubParser implements SenderParser {

  static final String HOST = "ghcr.io";

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    String event = headers.first("X-GitHub-Event").map(String::trim).orElse("");
    if (event.isEmpty()) {
      event = guessEvent(body, reading);
    }
    if (event.equals("ping")) {
      reading.ignore("github ping: a new webhook's test delivery, not a push");
      return;
    }
    if (!event.equals("package") && !event.equals("registry_package")) {
      reading.ignore("github " + Nodes.clip(event) + " event: not a package event");
      return;
    }
    JsonNode pkg = body.path(event);
    if (!pkg.isObject()) {
      throw reading.malformed("has a " + event + " event without its " + event + " object");
    }
    String namespace = text(pkg, "namespace");
    if (namespace.isEmpty()) {
      namespace = text(pkg, "owner", "login");
    }
    String name = text(pkg, "name");
    if (namespace.isEmpty() || name.isEmpty()) {
      throw reading.malformed("has a package without namespace or name");
    }
    String repository = (namespace + "/" + name).toLowerCase(Locale.ROOT);
    String action = text(body, "action");
    if (!action.equals("published")) {
      reading.ignore(
          "github package "
              + Nodes.clip(action)
              + " of "
              + Nodes.clip(repository)
              + ": not a publish");
      return;
    }
    String type = text(pkg, "package_type");
    if (!type.equalsIgnoreCase("container")) {
      reading.ignore(
          "github package "
              + Nodes.clip(repository)
              + " ("
              + Nodes.clip(type)
              + "): not a container");
      return;
    }
    JsonNode tag = pkg.path("package_version").path("container_metadata").path("tag");
    String tagName = text(tag, "name");
    if (tagName.isEmpty()) {
      reading.ignore(
          "github package version of "
              + Nodes.clip(repository)
              + " without a tag (an untagged manifest)");
      return;
    }
    String delivery = headers.first("X-GitHub-Delivery").map(String::trim).orElse("");
    reading.push(HOST, repository, tagName, text(tag, "digest"), delivery);
  }

  /** Without the header (a proxy dropped it), the body still tells a ping from a package event. */
  private static String guessEvent(JsonNode body, Reading reading) {
    if (body.path("package").isObject()) {
      return "package";
    }
    if (Nodes.has(body, "zen") && Nodes.has(body, "hook_id")) {
      return "ping";
    }
    throw reading.malformed("has no X-GitHub-Event header");
  }
}
