package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Gitea's and Forgejo's {@code package} event. It fires after every manifest PUT, by tag or by
 * digest: the version is the tag, or {@code sha256:…} for an untagged platform manifest. The
 * payload has no digest and names the host only inside {@code package.html_url}.
 */
final class GiteaParser implements SenderParser {

  @Override
  public void read(Headers headers, JsonNode body, Reading reading) {
    String event =
        first(headers, "X-Gitea-Event", "X-Forgejo-Event", "X-GitHub-Event")
            .orElseGet(() -> body.path("package").isObject() ? "package" : "");
    if (!event.equals("package")) {
      reading.ignore(
          "gitea "
              + (event.isEmpty() ? "unnamed" : Nodes.clip(event))
              + " event: not a package event");
      return;
    }
    JsonNode pkg = body.path("package");
    if (!pkg.isObject()) {
      throw reading.malformed("has a package event without its package object");
    }
    String owner = text(pkg, "owner", "login");
    String name = text(pkg, "name");
    if (owner.isEmpty() || name.isEmpty()) {
      throw reading.malformed("has a package without owner.login or name");
    }
    String repository = (owner + "/" + name).toLowerCase(Locale.ROOT);
    String version = text(pkg, "version");
    String action = text(body, "action");
    if (!action.equals("created")) {
      reading.ignore(
          "gitea package "
              + Nodes.clip(action)
              + " of "
              + Nodes.clip(repository + ":" + version)
              + ": not a push");
      return;
    }
    String type = text(pkg, "type");
    if (!type.equalsIgnoreCase("container")) {
      reading.ignore(
          "gitea package "
              + Nodes.clip(repository)
              + " ("
              + Nodes.clip(type)
              + "): not a container");
      return;
    }
    if (version.isEmpty()) {
      reading.ignore("gitea package " + Nodes.clip(repository) + " without a version");
      return;
    }
    String delivery = first(headers, "X-Gitea-Delivery", "X-Forgejo-Delivery").orElse("");
    reading.push(Nodes.hostOf(text(pkg, "html_url")), repository, version, "", delivery);
  }

  /** The first of these headers that is present and not blank. */
  private static Optional<String> first(Headers headers, String... names) {
    for (String name : names) {
      Optional<String> value = headers.first(name).map(String::trim).filter(v -> !v.isEmpty());
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }
}
