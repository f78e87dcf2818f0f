package dev.holdfast.hook;

import static dev.holdfast.hook.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.trigger.MalformedHookException;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells which registry sent a delivery to the shared /hooks/registry endpoint. Headers first (they
 * are explicit), then the body's shape. Gitea and Forgejo also send {@code X-GitHub-Event}, so
 * their own headers are checked before GitHub's.
 */
final class SenderDetector {

  static final String UNKNOWN = "cannot tell which registry sent this; use /hooks/registry/{kind}";

  private SenderDetector() {}

  static RegistryKind detect(Headers headers, byte[] body) {
    return byHeaders(headers).orElseGet(() -> byShape(Bodies.parse(body, "body")));
  }

  static Optional<RegistryKind> byHeaders(Headers headers) {
    if (present(headers, "X-Gitea-Event") || present(headers, "X-Forgejo-Event")) {
      return Optional.of(RegistryKind.GITEA);
    }
    if (present(headers, "X-GitHub-Event")) {
      return Optional.of(RegistryKind.GITHUB);
    }
    if (headers.first("X-JFrog-Event-Auth").isPresent()) {
      return Optional.of(RegistryKind.JFROG);
    }
    String contentType =
        headers.first("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (contentType.equals("application/vnd.docker.distribution.events.v1+json")
        || contentType.equals("application/vnd.docker.distribution.events.v2+json")) {
      return Optional.of(RegistryKind.DISTRIBUTION);
    }
    if (contentType.equals("application/cloudevents+json")) {
      return Optional.of(RegistryKind.HARBOR);
    }
    if (headers.first("User-Agent").orElse("").startsWith("AzureContainerRegistry/")) {
      return Optional.of(RegistryKind.ACR);
    }
    return Optional.empty();
  }

  static RegistryKind byShape(JsonNode body) {
    if (body.path("events").isArray()) {
      return RegistryKind.DISTRIBUTION;
    }
    if (body.path("push_data").isObject() && !text(body, "repository", "repo_name").isEmpty()) {
      return RegistryKind.DOCKERHUB;
    }
    boolean harborDefault = Nodes.has(body, "type") && Nodes.has(body, "event_data");
    boolean harborCloudEvent =
        Nodes.has(body, "specversion") && text(body, "type").startsWith("harbor.");
    if (harborDefault || harborCloudEvent) {
      return RegistryKind.HARBOR;
    }
    // Quay's build and other notifications have docker_url without updated_tags.
    if (!text(body, "docker_url").isEmpty()
        && (Nodes.has(body, "updated_tags") || !text(body, "repository").isEmpty())) {
      return RegistryKind.QUAY;
    }
    if (Nodes.has(body, "domain") && Nodes.has(body, "event_type")) {
      return RegistryKind.JFROG;
    }
    if (!text(body, "message", "data").isEmpty() && Nodes.has(body, "subscription")) {
      return RegistryKind.GAR;
    }
    if (!text(body, "action").isEmpty()
        && (body.path("target").isObject() || text(body, "action").equals("ping"))) {
      return RegistryKind.ACR;
    }
    throw new MalformedHookException(UNKNOWN);
  }

  private static boolean present(Headers headers, String name) {
    return headers.first(name).filter(value -> !value.isBlank()).isPresent();
  }
}
