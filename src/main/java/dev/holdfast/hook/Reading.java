package dev.holdfast.hook;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.ImagePush;
import dev.holdfast.trigger.MalformedHookException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Collects one delivery's pushes and reasons. Every sender's push goes through {@link #push}, so
 * the rules every format shares live in one place: a "tag" that is a digest is no tag, a configured
 * host beats the payload's, and a name that cannot be built is ignored (never a 5xx).
 */
final class Reading {

  private final RegistryKind kind;
  private final Optional<String> hostAlias;
  private final List<ImagePush> pushes = new ArrayList<>();
  private final List<String> ignored = new ArrayList<>();

  Reading(RegistryKind kind, Optional<String> hostAlias) {
    this.kind = kind;
    this.hostAlias = hostAlias;
  }

  RegistryKind kind() {
    return kind;
  }

  void ignore(String reason) {
    String line = reason.replaceAll("\\p{Cntrl}", "?");
    ignored.add(line.length() > 240 ? line.substring(0, 240) + "…" : line);
  }

  /**
   * Records a push of {@code repository:tag}, or why it cannot be one.
   *
   * @param payloadHost the host the sender named, "" when it names none
   * @param digest the manifest digest if sent (anything else is dropped)
   */
  void push(String payloadHost, String repository, String tag, String digest, String deliveryId) {
    if (tag.contains(":")) {
      ignore(kind + " \"tag\" " + Nodes.shortDigest(tag) + " is a digest, not a tag");
      return;
    }
    if (!ImageName.isTag(tag)) {
      ignore(kind + " \"tag\" " + Nodes.clip(tag) + " is not a tag");
      return;
    }
    String host = hostAlias.orElse(payloadHost);
    if (host.isBlank()) {
      ignore(kind + " sends no registry host; set " + hostVariable());
      return;
    }
    ImageName name;
    try {
      name = ImageName.parse(host + "/" + repository + ":" + tag);
    } catch (IllegalArgumentException e) {
      ignore(kind + " push is not an image name: " + e.getMessage());
      return;
    }
    // ImageName reads a first segment without '.', ':' or "localhost" as a path below docker.io:
    // a host such as "registry" would silently turn into docker.io/registry/<repository>.
    if (!name.host().equals(registryHost(host))) {
      ignore(
          kind
              + " registry host \""
              + Nodes.clip(host)
              + "\" would read as a Docker Hub path; set "
              + hostVariable());
      return;
    }
    String manifest = ImageName.isDigest(digest) ? digest.toLowerCase(Locale.ROOT) : "";
    pushes.add(new ImagePush(kind.id(), name, manifest, deliveryId));
  }

  MalformedHookException malformed(String what) {
    return new MalformedHookException(kind + " delivery " + what);
  }

  HookReading done() {
    if (pushes.isEmpty() && ignored.isEmpty()) {
      ignore(kind + " delivery carries no event");
    }
    return new HookReading(kind.id(), pushes, ignored);
  }

  /** The setting the operator can use to name this sender's registry host. */
  String hostVariable() {
    return "HOLDFAST_HOOK_HOST_" + kind.name();
  }

  /** How ImageName writes the host part of {@code host} (which may carry a path prefix). */
  static String registryHost(String host) {
    int slash = host.indexOf('/');
    String head = (slash < 0 ? host : host.substring(0, slash)).toLowerCase(Locale.ROOT);
    return head.equals("index.docker.io") || head.equals("registry-1.docker.io")
        ? ImageName.DOCKER_HUB
        : head;
  }
}
