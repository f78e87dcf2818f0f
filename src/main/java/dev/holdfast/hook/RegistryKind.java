package dev.holdfast.hook;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which registry sent a webhook; its {@link #id()} is the path segment in /hooks/registry/{kind}.
 */
public enum RegistryKind {
  /** CNCF Distribution ({@code registry:2}, Debian docker-registry, GitLab's registry). */
  DISTRIBUTION,
  DOCKERHUB,
  HARBOR,
  QUAY,
  /** GitHub's {@code package} event for GHCR. */
  GITHUB,
  /** Gitea and Forgejo: the same payload, headers under either name. */
  GITEA,
  ACR,
  JFROG,
  /** Google Artifact Registry through a Pub/Sub push subscription. */
  GAR;

  /** The lower-case name used in paths, reasons and {@code HookReading.kind}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }

  /**
   * Reads a path segment, ignoring case; {@code forgejo} is {@link #GITEA}.
   *
   * @throws IllegalArgumentException naming the known kinds when the segment is none of them
   */
  public static RegistryKind parse(String segment) {
    String key = segment == null ? "" : segment.trim().toLowerCase(Locale.ROOT);
    if (key.equals("forgejo")) {
      return GITEA;
    }
    for (RegistryKind kind : values()) {
      if (kind.id().equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown registry kind '"
            + Nodes.clip(segment == null ? "" : segment)
            + "'; one of "
            + Arrays.stream(values()).map(RegistryKind::id).collect(Collectors.joining(", ")));
  }
}
