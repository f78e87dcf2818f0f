package dev.holdfast.hook;

import dev.holdfast.trigger.HookReading;
import dev.holdfast.trigger.ImageName;
import dev.holdfast.trigger.MalformedHookException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads registry webhook deliveries into {@link HookReading}s: only real pushes of a tag become an
 * {@code ImagePush}; blobs, pulls, mounts, deletes, untagged platform manifests, pings, builds and
 * digests posing as tags are ignored with a reason. Every well-formed delivery gets a reading
 * (senders retry or disable a hook on errors, so ignoring is never an error); only a broken body
 * throws {@link MalformedHookException}. Stateless and thread-safe.
 */
public final class RegistryHooks {

  private static final Map<RegistryKind, SenderParser> PARSERS = parsers();

  private final Map<RegistryKind, String> hostAliases;

  /** Without configured hosts: each sender's own host (JFrog pushes are then ignored). */
  public RegistryHooks() {
    this(Map.of());
  }

  /**
   * @param hostAliases per sender, the registry host containers pull from (e.g. jfrog → {@code
   *     my.jfrog.io}, or {@code my.jfrog.io/docker-local} for Artifactory's repository-path
   *     access); it replaces the host the payload names, which is the pusher's view (e.g.
   *     Distribution's {@code localhost:5000}) and for JFrog is not sent at all
   * @throws IllegalArgumentException when an alias is not a registry host
   */
  public RegistryHooks(Map<RegistryKind, String> hostAliases) {
    Map<RegistryKind, String> aliases = new EnumMap<>(RegistryKind.class);
    hostAliases.forEach(
        (kind, host) -> {
          String trimmed = Objects.requireNonNull(host, "host alias").trim();
          if (!validHost(trimmed)) {
            throw new IllegalArgumentException(
                "host for " + kind + " '" + Nodes.clip(trimmed) + "' is not a registry host");
          }
          aliases.put(Objects.requireNonNull(kind, "kind"), trimmed);
        });
    this.hostAliases = Map.copyOf(aliases);
  }

  /**
   * Reads one delivery from a known sender.
   *
   * @param body the raw request body
   * @throws MalformedHookException when the body is not JSON or lacks what this sender always sends
   */
  public HookReading read(RegistryKind kind, Headers headers, byte[] body) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(headers, "headers");
    Reading reading = new Reading(kind, Optional.ofNullable(hostAliases.get(kind)));
    PARSERS.get(kind).read(headers, Bodies.parse(body, "body"), reading);
    return reading.done();
  }

  /** Reads one delivery from whichever sender {@link #detect} finds. */
  public HookReading read(Headers headers, byte[] body) {
    return read(detect(headers, body), headers, body);
  }

  /**
   * Tells the sender from its headers, else from the body's shape.
   *
   * @throws MalformedHookException "cannot tell which registry sent this; use
   *     /hooks/registry/{kind}", or when the body is not JSON
   */
  public RegistryKind detect(Headers headers, byte[] body) {
    return SenderDetector.detect(Objects.requireNonNull(headers, "headers"), body);
  }

  private static boolean validHost(String host) {
    try {
      return ImageName.parse(host + "/x").host().equals(Reading.registryHost(host));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<RegistryKind, SenderParser> parsers() {
    Map<RegistryKind, SenderParser> parsers = new EnumMap<>(RegistryKind.class);
    parsers.put(RegistryKind.DISTRIBUTION, new DistributionParser());
    parsers.put(RegistryKind.DOCKERHUB, new DockerHubParser());
    parsers.put(RegistryKind.HARBOR, new HarborParser());
    parsers.put(RegistryKind.QUAY, new QuayParser());
    parsers.put(RegistryKind.GITHUB, new GitHubParser());
    parsers.put(RegistryKind.GITEA, new GiteaParser());
    parsers.put(RegistryKind.ACR, new AcrParser());
    parsers.put(RegistryKind.JFROG, new JfrogParser());
    parsers.put(RegistryKind.GAR, new GarParser());
    return Map.copyOf(parsers);
  }
}
